"""seqedit: a keyboard-first terminal editor for Saleshandy sequences."""

__version__ = "0.1.0"
