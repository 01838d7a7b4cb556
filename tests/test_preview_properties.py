"""Property tests: malformed, huge or hostile input never raises and never escapes the page."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.api.channels import Channel
from tui.preview import PreviewOptions, inbox_line, render_email, render_text_channel, to_plain, to_rich

# Anything a terminal would act on: ESC, BEL, other C0 controls but newline, DEL, C1.
TERMINAL_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")

FRAGMENTS = [
    "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<i>", "<u>", "<br>", "<hr>", "<ul>", "<ol>", "<li>",
    "</li>", "</ul>", "<blockquote>", "</blockquote>", "<pre>", "</pre>", "<table>", "<tr>", "<td>", "<th>",
    "</table>", "</td>", "</tr>", "<td colspan='3'>", "<td align='right'>", "<caption>", "<th scope='col'>",
    "<a href='https://y.example'><div>", "<h1>", "</h1>", "<a href='https://x.example/{{Email}}'>", "<a href=\"", "</a>", "<img alt='",
    "<img src=x width=1 height=1>", "<script>", "</script>", "<style>", "<!--", "-->", "<template>",
    "<div style='display:none'>", "<div style='font-size:0'>", "<span hidden>", "&amp;", "&nbsp;", "&#x1b;",
    "&#0;", "&", "<", ">", "\"", "'", "{{", "}}", "{{First Name}}", "{{Company|'x'}}", "{spin}", "{endspin}",
    "|", "[bold red]", "[/]", "\x1b[31m", "\x1b]8;;http://e.example\x07", "\x07", "\x9b", "\u202e", "\t", "\n",
    " ", "word", "a-very-long-word-without-any-spaces-that-must-break-somewhere-" * 2, "\ud7ff", "😀",
]  # fmt: skip

html_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=60).map("".join)
prospects = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(["First Name", "Company", "Email"]), st.text(max_size=30), max_size=3),
)
options = st.builds(
    PreviewOptions,
    width=st.integers(min_value=0, max_value=120),
    prospect=prospects,
    spin_choice=st.integers(min_value=0, max_value=10**6),
    mode=st.sampled_from(["rendered", "plain", "source"]),
)


def check_lines(rendered, width: int) -> None:
    for line in rendered.lines:
        text = "".join(segment.text for segment in line)
        assert len(text) <= max(20, width), repr(text)
        assert not TERMINAL_CONTROL.search(text), repr(text)
        assert "\n" not in text
    for url in rendered.links:
        assert not TERMINAL_CONTROL.search(url)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(html=html_like, opts=options)
def test_any_html_renders_within_width_without_control_characters(html: str, opts: PreviewOptions) -> None:
    rendered = render_email(html, opts)
    check_lines(rendered, opts.width)
    assert rendered.combinations >= 1
    assert 0 <= rendered.choice < rendered.combinations
    to_rich(rendered)
    assert not TERMINAL_CONTROL.search(to_plain(rendered).replace("\n", ""))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), opts=options)
def test_any_text_renders_as_email(text: str, opts: PreviewOptions) -> None:
    check_lines(render_email(text, opts), opts.width)


@settings(max_examples=200, deadline=None)
@given(text=html_like, opts=options, channel=st.sampled_from(list(Channel)))
def test_any_text_renders_on_any_channel(text: str, opts: PreviewOptions, channel: Channel) -> None:
    rendered = render_text_channel(text, channel, opts)
    check_lines(rendered, opts.width)
    assert rendered.char_count >= 0


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.text(max_size=120), min_size=4, max_size=4), width=st.integers(min_value=0, max_value=200))
def test_inbox_line_always_fits(parts: list[str], width: int) -> None:
    segments = inbox_line(*parts, width)
    text = "".join(segment.text for segment in segments)
    assert len(text) <= max(10, width)
    assert not TERMINAL_CONTROL.search(text)


@settings(max_examples=30, deadline=None)
@given(html=html_like)
def test_filled_values_never_become_markup(html: str) -> None:
    hostile = {"First Name": "<b>x</b>", "Company": "</p><script>y</script>", "Email": "[red]z[/]"}
    rendered = render_email("<p>{{First Name}}{{Company}}{{Email}}</p>" + html, PreviewOptions(prospect=hostile))
    first = "".join(segment.text for segment in rendered.lines[0])
    assert first.startswith("<b>x</b></p><script>y</script>[red]z[/]"[: len(first)])


def test_a_megabyte_of_hostile_html_renders() -> None:
    chunk = "<div><table><tr><td><b><i><a href='x'>" + "{spin}a|b{endspin} {{First Name}} \x1b[2J &amp; " * 5
    html = (chunk * (1_000_000 // len(chunk)))[:1_000_000]
    rendered = render_email(html, PreviewOptions(width=80, prospect={"First Name": "Ana"}))
    check_lines(rendered, 80)
    assert rendered.lines


def test_a_megabyte_without_any_tag_or_space_renders() -> None:
    rendered = render_email("x" * 1_000_000, PreviewOptions(width=72))
    assert len(rendered.lines) == -(-1_000_000 // 72)


def test_hostile_nesting_still_renders_every_text() -> None:
    # 100,000 nested <div>s: parsed whole, the tree builder would take seconds (quadratic).
    html = "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "<p>after</p>"
    assert to_plain(render_email(html, PreviewOptions())) == "deep\n\nafter\n"
    lists = "<ul><li>x" * 5_000
    rendered = render_email(lists, PreviewOptions(width=40))
    lines = [line for line in to_plain(rendered).splitlines() if line]  # pieces may add blank lines
    assert len(lines) == 5_000 and all(len(line) <= 40 and line.endswith("x") for line in lines)
