"""Text handling every layer shares: terminal-safe text and merge tags."""
