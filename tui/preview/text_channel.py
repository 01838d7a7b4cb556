"""LinkedIn, WhatsApp and task text as the recipient (or assignee) sees it, with its count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.text.safe_text import clean, one_line

from .fill import SPIN_END, SPIN_START, TagFiller, mark_spins
from .model import PreviewOptions, Rendered, Segment, strip_styles
from .wrap import BREAK, Run, wrap_preformatted, wrap_runs

if TYPE_CHECKING:
    from tui.api.channels import Channel, UnknownChannel


def channel_limits(channel: Channel | UnknownChannel) -> tuple[int | None, int | None]:
    """The hard and soft character limits of a channel's main text (task note for tasks)."""
    from tui.api.channels import TASK_NOTE_LIMIT  # here: an email preview needs no channel table (start-up)

    info = channel.info
    key = info.text_key
    if key is not None and (key in info.limits or key in info.soft_limits):
        return info.limits.get(key), info.soft_limits.get(key)
    if info.task_note and not info.payload_keys:
        return TASK_NOTE_LIMIT, None
    return None, None


def _runs(text: str, filler: TagFiller) -> list[Run]:
    runs: list[Run] = []
    spin = False
    cursor = 0
    # Split on the spin sentinels; the text between them is one chosen option.
    while cursor <= len(text):
        starts = [index for index in (text.find(SPIN_START, cursor), text.find(SPIN_END, cursor)) if index != -1]
        end = min(starts) if starts else len(text)
        chunk = text[cursor:end]
        for line_index, line in enumerate(chunk.split("\n")):
            if line_index:
                runs.append(BREAK)
            for piece, extra in filler.pieces(line):
                if piece:
                    style = " ".join(part for part in ("spin" if spin else "", extra) if part)
                    for sub_index, sub in enumerate(clean(piece).split("\n")):
                        if sub_index:
                            runs.append(BREAK)
                        runs.append((sub, style))
        if not starts:
            break
        spin = text[end] == SPIN_START
        cursor = end + 1
    return runs


def render_text_channel(text: str, channel: Channel | UnknownChannel, options: PreviewOptions) -> Rendered:
    """A channel's plain text with spintax chosen and merge tags filled, wrapped to the width;
    ``char_count`` is the length of what would be sent, against ``limit``/``soft_limit``."""
    width = max(20, int(options.width))
    source = clean(text or "").replace("\r", "").expandtabs(4)
    marked, combinations = mark_spins(source, options.spin_choice)
    choice = options.spin_choice % combinations
    limit, soft_limit = channel_limits(channel)
    filler = TagFiller(options)
    runs = _runs(marked, filler)
    sent = "".join("\n" if run is BREAK else run[0] for run in runs)
    if options.mode == "source":
        lines = wrap_preformatted(source, "code", width, [], [])
    else:
        lines = []
        # Each source line is a paragraph of its own; blank lines stay blank.
        paragraph: list[Run] = []
        for run in runs + [BREAK]:
            if run is BREAK:
                lines.extend(wrap_runs(paragraph, width, [], []) if paragraph else [[]])
                paragraph = []
            else:
                paragraph.append(run)
        if options.mode == "plain":
            lines = strip_styles(lines)
    return Rendered(
        lines=lines,
        combinations=combinations,
        choice=choice,
        word_count=len(sent.split()),
        char_count=len(sent),
        missing=filler.missing,
        limit=limit,
        soft_limit=soft_limit,
    )


def count_line(rendered: Rendered) -> list[Segment]:
    """``123 / 300 characters`` styled ``missing`` when over the limit, ``fallback`` over the
    soft limit, ``muted`` otherwise."""
    if rendered.limit is None and rendered.soft_limit is None:
        return [Segment(f"{rendered.char_count} characters", "muted")]
    limit = rendered.limit if rendered.limit is not None else rendered.soft_limit
    text = f"{rendered.char_count} / {limit} characters"
    if rendered.over_limit:
        return [Segment(text + " (over the limit)", "missing")]
    if rendered.soft_limit is not None and rendered.char_count > rendered.soft_limit:
        return [Segment(f"{text} (over {rendered.soft_limit} on some accounts)", "fallback")]
    return [Segment(text, "muted")]


def fill_line(text: str, options: PreviewOptions) -> list[Segment]:
    """A one-line text (a subject, a preheader) with spintax chosen and merge tags filled or
    highlighted, as styled Segments without wrapping."""
    marked, _count = mark_spins(one_line(text), options.spin_choice)
    runs = _runs(marked, TagFiller(options))
    out: list[Segment] = []
    for run in runs:
        if run is not BREAK and run[0]:
            out.append(Segment(run[0], run[1]))
    return out
