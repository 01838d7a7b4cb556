"""The help key of the dialogs (save review, conflict, drafts, history, questions).

While a modal screen is up Textual leaves the app's own bindings out, so ``?`` and F1 did
nothing in the save review (issue 13). The dialogs list this binding; it runs the app's help
action and shares the app binding's id, so a keymap entry for ``help`` moves both.
"""

from __future__ import annotations

from textual.binding import Binding

HELP = Binding("question_mark,f1", "app.help", "Help", id="help")
