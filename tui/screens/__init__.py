"""Screens of the editor: main, review, confirm, help, no key."""
