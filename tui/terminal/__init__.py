"""Terminal integration without Textual: the clipboard, $EDITOR, hang-ups."""
