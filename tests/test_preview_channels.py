"""Text channels, the inbox line and the highlighted HTML source."""

from __future__ import annotations

from tui.api.channels import Channel
from tui.preview import (
    PreviewOptions,
    count_line,
    fill_line,
    highlight_source,
    inbox_line,
    render_text_channel,
    split_choice,
    to_plain,
)


def joined(segments) -> str:
    return "".join(segment.text for segment in segments)


# -- text channels -----------------------------------------------------------------------


def test_linkedin_note_is_filled_and_counted_against_its_limit() -> None:
    note = "Hi {{First Name}}, loved your talk at {{Event|'the conference'}}."
    rendered = render_text_channel(
        note, Channel.LINKEDIN_CONNECTION_REQUEST, PreviewOptions(prospect={"First Name": "Ana"})
    )
    assert to_plain(rendered) == "Hi Ana, loved your talk at the conference.\n"
    assert rendered.char_count == len("Hi Ana, loved your talk at the conference.")
    assert (rendered.limit, rendered.soft_limit) == (300, 200)
    assert not rendered.over_limit
    assert rendered.missing == ["Event"]
    assert joined(count_line(rendered)) == f"{rendered.char_count} / 300 characters"


def test_over_the_limit_is_reported() -> None:
    rendered = render_text_channel("x" * 301, Channel.LINKEDIN_CONNECTION_REQUEST, PreviewOptions())
    assert rendered.over_limit
    assert "over the limit" in joined(count_line(rendered))
    soft = render_text_channel("x" * 250, Channel.LINKEDIN_CONNECTION_REQUEST, PreviewOptions())
    assert not soft.over_limit and "over 200" in joined(count_line(soft))


def test_message_keeps_line_breaks_and_blank_lines() -> None:
    text = "Hi Ana,\n\nThanks for connecting.\nTalk soon"
    rendered = render_text_channel(text, Channel.LINKEDIN_MESSAGE, PreviewOptions())
    assert to_plain(rendered) == text + "\n"
    assert rendered.limit == 8000
    assert rendered.char_count == len(text)


def test_whatsapp_has_a_soft_limit_only() -> None:
    rendered = render_text_channel("hello", Channel.WHATSAPP_MESSAGE, PreviewOptions())
    assert (rendered.limit, rendered.soft_limit) == (None, 4096)


def test_text_channel_spintax_counts_the_chosen_text() -> None:
    text = "{spin}Hi|Hello there{endspin} {{First Name}}"
    first = render_text_channel(text, Channel.LINKEDIN_MESSAGE, PreviewOptions(prospect={"First Name": "Al"}))
    second = render_text_channel(
        text, Channel.LINKEDIN_MESSAGE, PreviewOptions(prospect={"First Name": "Al"}, spin_choice=1)
    )
    assert (to_plain(first), first.char_count, first.combinations) == ("Hi Al\n", 5, 2)
    assert (to_plain(second), second.char_count) == ("Hello there Al\n", 14)


def test_text_channel_is_never_markup_and_escapes_are_removed() -> None:
    rendered = render_text_channel("[bold]x[/] <b>y</b> \x1b[31mz", Channel.LINKEDIN_MESSAGE, PreviewOptions())
    assert to_plain(rendered) == "[bold]x[/] <b>y</b> z\n"


def test_text_channel_wraps_to_the_width() -> None:
    rendered = render_text_channel("word " * 40, Channel.LINKEDIN_MESSAGE, PreviewOptions(width=30))
    assert all(len(line) <= 30 for line in to_plain(rendered).splitlines())


def test_fill_line_for_subjects() -> None:
    segments = fill_line("{spin}Quick|Short{endspin} question, {{First Name|'there'}}", PreviewOptions(prospect={}))
    assert joined(segments) == "Quick question, there"
    assert [segment.style for segment in segments if segment.text == "there"] == ["fallback"]


def test_split_choice_walks_every_combination_across_texts() -> None:
    texts = ["{spin}a|b{endspin}", "plain", "{spin}x|y|z{endspin}"]
    seen = {tuple(split_choice(choice, texts)[0]) for choice in range(6)}
    assert len(seen) == 6
    assert split_choice(6, texts) == ([0, 0, 0], 6)


# -- inbox line --------------------------------------------------------------------------


def test_inbox_line_fits_the_width_and_cuts_the_subject_near_70() -> None:
    subject = "A very long subject line that goes on and on well past where clients cut it off"
    segments = inbox_line("Sam Carter", subject, "Short preheader", "Body text follows here", 120)
    text = joined(segments)
    assert len(text) <= 120
    assert text.startswith("Sam Carter · ")
    shown_subject = segments[2].text
    assert len(shown_subject) <= 70 and shown_subject.endswith("…")
    assert " — Short preheader Body" in text


def test_inbox_line_pulls_body_text_without_a_preheader() -> None:
    text = joined(inbox_line("Me", "Hello", "", "Hi Ana, the body starts here.", 60))
    assert text == "Me · Hello — Hi Ana, the body starts here."


def test_inbox_line_empty_subject_and_hostile_text() -> None:
    segments = inbox_line("Me\x1b[31m", "", "[bold]pre[/]\nheader", "", 60)
    assert joined(segments) == "Me · (no subject) — [bold]pre[/] header"
    assert [segment.style for segment in segments][2] == "muted"


def test_inbox_line_narrow_width() -> None:
    for width in (10, 20, 35):
        assert len(joined(inbox_line("Someone With A Long Name", "Subject here", "pre", "body", width))) <= width


# -- source ------------------------------------------------------------------------------


def test_highlight_source_keeps_text_and_styles_tags() -> None:
    html = '<p class="x">Hi [bold]{{First Name}}[/]</p><!-- c -->\x1b[31m'
    text = highlight_source(html)
    assert text.plain == '<p class="x">Hi [bold]{{First Name}}[/]</p><!-- c -->'
    styles = {text.plain[span.start : span.end]: str(span.style) for span in text.spans}
    assert styles["p"] == "bold blue"
    assert styles["class"] == "cyan"
    assert styles["<!-- c -->"] == "dim italic"
