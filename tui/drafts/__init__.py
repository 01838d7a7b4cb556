"""Drafts and history: the local, private record of unsaved edits and of past saves.

Pure: no Textual import, so headless commands and tests use it directly.
"""

from .diff import MISSING, FieldChange, WordPiece, diff_variants, format_value, text_diff, word_diff
from .journal import DraftJournal
from .keys import DraftKey, account_label
from .merge import ChangeKind, Conflict, MergeChoiceMissing, merge, three_way
from .store import Draft, DraftStore, DraftStoreError, Version, Window

__all__ = [
    "MISSING",
    "ChangeKind",
    "Conflict",
    "Draft",
    "DraftJournal",
    "DraftKey",
    "DraftStore",
    "DraftStoreError",
    "FieldChange",
    "MergeChoiceMissing",
    "Version",
    "Window",
    "WordPiece",
    "account_label",
    "diff_variants",
    "format_value",
    "merge",
    "text_diff",
    "three_way",
    "word_diff",
]
