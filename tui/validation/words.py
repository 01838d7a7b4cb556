"""What a prospect reads of a body, and how many words it is, kept up across an edit."""

from __future__ import annotations

from tui import mergetags


def readable(text: str) -> str:
    """The text a prospect reads: the first option of each spintax block, tags as one word."""
    return mergetags.TAG_RE.sub("Name", mergetags.choose(text, 0)) if "{" in text else text


def count_words(text: str) -> int:
    """Words separated by white space (a stray dash counts too: close enough for a length rule)."""
    return len(text.split())


_SYNTAX = frozenset("{}|")
_WORD_REACH = 200  # farther than this to the next white space: count afresh
_BRACES_BACK = 64  # braces to step back over looking for a {spin} before giving up


def readable_words_after(old: str, old_words: int, new: str, start: int, old_end: int, new_end: int) -> int | None:
    """``count_words(readable(new))``, where ``old[start:old_end]`` became ``new[start:new_end]``
    and ``old_words`` was ``count_words(readable(old))``; None when it must be counted afresh.

    An edit without braces or bars, outside every merge tag and spintax block, changes the
    readable text in the same place only: the words of the stretch between the white space
    either side of it are counted again (~0.4 ms for the whole of a 100 KB body).
    """
    if not _SYNTAX.isdisjoint(old[start:old_end]) or not _SYNTAX.isdisjoint(new[start:new_end]):
        return None
    if "{" in new:
        if new.rfind("{", 0, start) > new.rfind("}", 0, start):
            return None  # inside a tag or a spin token
        if start > 0 and new_end < len(new) and new[start - 1] in "{}" and new[new_end] in "{}":
            return None
        # Inside a block if the last spin token before the edit opens one.
        at = start
        for _ in range(_BRACES_BACK):
            at = new.rfind("{", 0, at)
            if at < 0:
                break
            token = new[at : at + 9].lower()
            if token.startswith("{endspin}"):
                break
            if token.startswith("{spin}"):
                return None
        else:
            return None
    left = start
    while left > 0 and not new[left - 1].isspace():
        left -= 1
        if start - left > _WORD_REACH:
            return None
    right = new_end
    while right < len(new) and not new[right].isspace():
        right += 1
        if right - new_end > _WORD_REACH:
            return None
    stretch_new = new[left:right]
    stretch_old = old[left : right - (new_end - old_end)]
    if "{" in stretch_new or "}" in stretch_new or "{" in stretch_old or "}" in stretch_old:
        return None
    return old_words - count_words(stretch_old) + count_words(stretch_new)
