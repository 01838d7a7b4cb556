"""Textual widgets of the editor, one per module."""
