"""Headless subcommands of seqedit; each module imports nothing heavy at module level."""
