"""LiveValidator (validation that reuses work across edits) gives exactly what validate() gives.

Random sequences of edits (mostly plain typing and deleting, sometimes markup, braces and
quotes) are applied to an Email variant; after each, the live validator's findings must equal
those of a fresh validate() on the same draft, in the same order.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_validation_support import FIELDS
from tui.api.channels import Channel
from tui.api.models import Variant
from tui.validation import Context, LiveValidator, validate
from tui.validation.edits import changed_region
from tui.validation.html_doc import parse_html

PIECES = [
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<b>",
    "</b>",
    "<i>",
    '<a href="https://example.com/x">',
    "<a href='#'>",
    "</a>",
    "<img src=x>",
    '<img src=y alt="logo">',
    "<br>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<!--",
    "-->",
    '<p onclick="go()">',
    '<span style="display:none">',
    "</span>",
    "<table><tr><td>",
    "</td></tr></table>",
    "{{First Name}}",
    "{{Company|'you'}}",
    "{{Frist Name}}",
    "{{RANDOM|a|b}}",
    "{spin}",
    "{endspin}",
    "a|b",
    "||",
    "{",
    "}",
    "{{",
    "}}",
    "{%",
    "%}",
    "[[x]]",
    "[[",
    "]]",
    "{a|b}",
    "free",
    "click here",
    "RE:",
    "bit.ly/x",
    "&amp;",
    "<",
    ">",
    '"',
    "'",
    "\n",
    " ",
    "word ",
    "more words here ",
    "İ",
    "—",
    "onclick=",
    "www.example.org",
]
# Typing is mostly letters and spaces; the rest tries every boundary the reuse must respect.
TYPED = st.one_of(
    st.text(alphabet="abcdefghij xyz.,\n", min_size=1, max_size=4),
    st.text(alphabet="abc <>/\"'{}[]|%!-=&", min_size=1, max_size=3),
    st.sampled_from(PIECES),
)
edits = st.lists(
    st.tuples(
        st.sampled_from(["content", "content", "content", "subject"]),
        st.floats(min_value=0, max_value=1),
        st.integers(min_value=0, max_value=3),  # characters deleted
        st.one_of(st.just(""), TYPED),  # text typed
    ),
    min_size=1,
    max_size=25,
)


def _apply(text: str, where: float, deleted: int, typed: str) -> str:
    at = int(where * len(text))
    return text[:at] + typed + text[at + deleted :]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.lists(st.sampled_from(PIECES), min_size=0, max_size=40).map("".join),
    subject=st.sampled_from(["", "Hi {{First Name}}", "FREE offer!!", "A quick idea"]),
    steps=edits,
    first=st.booleans(),
    fields=st.sampled_from([FIELDS, None]),
)
def test_random_edits_give_the_findings_of_a_fresh_validate(body, subject, steps, first, fields) -> None:
    ctx = Context(channel=Channel.EMAIL, first_email=first, fields=fields)
    payload = {"subject": subject, "content": body}
    live = LiveValidator()
    assert live.validate(Variant(id="v", type=Channel.EMAIL, payload=dict(payload)), ctx) == validate(
        Variant(id="v", type=Channel.EMAIL, payload=dict(payload)), ctx
    )
    for name, where, deleted, typed in steps:
        payload[name] = _apply(payload[name], where, deleted, typed)
        draft = Variant(id="v", type=Channel.EMAIL, payload=dict(payload))
        assert live.validate(draft, ctx) == validate(draft, ctx)


@settings(max_examples=100, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.integers(min_value=0, max_value=2),
            st.text(alphabet="abc xyz\n", min_size=0, max_size=3),
        ),
        min_size=1,
        max_size=60,
    ),
)
def test_typing_in_a_long_body_matches_a_fresh_validate_with_fields_changing(steps) -> None:
    paragraph = (
        "<p style=\"margin:0\">Hi {{First Name|'there'}}, {spin}Teams|Groups{endspin} at <b>{{Company}}</b> "
        'spend hours; see <a href="https://example.com/case">the case study</a> — free {{Frist Name}}.</p>\n'
    )
    payload = {"subject": "{{First Name}}, a quick idea", "content": "<div>" + paragraph * 30 + "</div>"}
    live = LiveValidator()
    for index, (where, deleted, typed) in enumerate(steps):
        payload["content"] = _apply(payload["content"], where, deleted, typed)
        # The account's fields arrive (or change) while typing: tag findings must follow.
        ctx = Context(channel=Channel.EMAIL, first_email=True, fields=FIELDS if index % 7 < 5 else FIELDS[:1])
        draft = Variant(id="v", type=Channel.EMAIL, payload=dict(payload))
        assert live.validate(draft, ctx) == validate(draft, ctx)


def test_plain_typing_reuses_the_markup_scan_and_moves_its_spans() -> None:
    body = '<p>Hello <b>there</b></p><div>open<p onclick="x()">tap</p>'
    first = parse_html(body)
    at = body.index("there")
    typed = body[:at] + "you " + body[at:]
    again = parse_html(typed, first)
    assert again.scan is first.scan  # reused, not scanned again
    fresh = parse_html(typed)
    assert again.markup_spans == fresh.markup_spans
    assert (again.balance, again.handlers, again.visible_text) == (fresh.balance, fresh.handlers, fresh.visible_text)
    # A "<" typed is markup: scanned afresh.
    assert parse_html(body[:at] + "<" + body[at:], first).scan is not first.scan


def test_changed_region_is_the_shortest_stretch_that_differs() -> None:
    assert changed_region("abc", "abc") is None
    assert changed_region("abcdef", "abXYef") == (2, 4, 4)
    assert changed_region("aaaa", "aaaaa") == (4, 4, 5)
    assert changed_region("hello world", "hello") == (5, 11, 5)
    assert changed_region("", "x") == (0, 0, 1)


def test_deleting_the_space_after_a_text_lt_that_then_becomes_a_tag_is_scanned_afresh() -> None:
    # "<span style=\"…none>" never closes its quote, so "<" is text; without the space the
    # name swallows the quote and the tag is complete (found by the property test).
    body = '<span style="display:none>onclick=www.example.org'
    first = parse_html(body)
    joined = body.replace("<span style", "<spanstyle")
    assert parse_html(joined, first).markup_spans == parse_html(joined).markup_spans
    ctx = Context(channel=Channel.EMAIL, fields=FIELDS)
    live = LiveValidator()
    for text in (body, joined):
        draft = Variant(id="v", type=Channel.EMAIL, payload={"subject": "", "content": text})
        assert live.validate(draft, ctx) == validate(draft, ctx)
