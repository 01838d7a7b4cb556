"""The optimised parts of the Email body parse against the plain versions they replaced, on
random markup: the markup scan, and which elements count as hidden."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from tests.test_validation_properties import FRAGMENTS
from tui.validation import html_doc
from tui.validation.html_doc import (
    _HIDDEN_SELECTOR,
    _HIDDEN_STYLE_RE,
    _NEVER_SHOWN,
    _OPTIONAL_END,
    _RAW_TEXT,
    _VOID,
    MAX_BALANCE_PROBLEMS,
    BalanceProblem,
    _close,
    _raw_text_end,
    parse_html,
    token_span,
)

MARKUP = FRAGMENTS + [
    "<p style='display:none'>",
    '<div style="FONT-SIZE: 0">',
    "<span style='visibility: hidden;color:red'>",
    "<i hidden>",
    '<p style="max-height:0.5em">',
    "<b style='diſplay:none'>",
    "<td style=display:none>",
    "<br/>",
    "<br / >",
    "<hr/ >",
    "<a href>",
    '<a href="https://example.com">',
    "<A HREF='x'>",
    "</A>",
    "<P>",
    "</P>",
    "<div>",
    "</div>",
    "<ul><li>",
    "</li>",
    '<a"b c">',
    "<x'y>",
    '<p title="a>b">',
    "<style>p{}</style>",
    "<!-->",
    "<?x>",
    "text",
    "&#100;isplay",
    "displa&#x79;:none'>",
]
bodies = st.one_of(st.text(), st.lists(st.sampled_from(MARKUP), max_size=50).map("".join))

REFERENCE_TOKEN_RE = re.compile(
    r"""
    <([A-Za-z][^\s/>]*)([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)>
  | </([A-Za-z][^\s/>]*)[^>]*>
  | <!--.*?(?:-->|\Z)
  | <![^>]*>?
  | <\?[^>]*>?
    """,
    re.VERBOSE | re.DOTALL,
)


def reference_scan(source: str):
    starts: dict[str, list[re.Match[str]]] = {}
    problems: list[BalanceProblem] = []
    stack: list[tuple[str, re.Match[str]]] = []
    markup: list[re.Match[str] | tuple[int, int]] = []
    # Elements closed implicitly by a mismatched end tag: their own end tag, when it comes
    # later, is a consequence of the mistake already reported, not a second one.
    orphans: dict[str, int] = {}
    skip_tags = _VOID | _RAW_TEXT
    lowered: dict[str, str] = {}
    add_markup = markup.append
    push = stack.append
    position = 0
    while position is not None:
        resume = None
        for match in REFERENCE_TOKEN_RE.finditer(source, position):
            add_markup(match)
            kind = match.lastindex  # 2: a start tag, 3: an end tag, None: anything else
            if kind == 2:
                start_name = match[1]
                name = lowered.get(start_name)
                if name is None:
                    name = lowered[start_name] = start_name.lower()
                tags = starts.get(name)
                if tags is None:
                    starts[name] = [match]
                else:
                    tags.append(match)
                if name in skip_tags:
                    if name in _RAW_TEXT:
                        opened_end = match.end()
                        close = _raw_text_end(name).search(source, opened_end)
                        resume = close.end() if close else len(source)
                        add_markup((opened_end, resume))
                        break
                else:
                    attrs = match[2]
                    if not (attrs and attrs.rstrip().endswith("/")):
                        push((name, match))
            elif kind == 3:
                end_name = match[3]
                name = lowered.get(end_name)
                if name is None:
                    name = lowered[end_name] = end_name.lower()
                if stack and stack[-1][0] == name:
                    stack.pop()
                else:
                    _close(name, match.span(), stack, problems, orphans)
        position = resume
    for name, opened in stack:
        if name not in _OPTIONAL_END and len(problems) < MAX_BALANCE_PROBLEMS:
            problems.append(BalanceProblem(f"<{name}> is never closed", opened.span()))
    return starts, problems, markup


def _plain(result: tuple, source: str) -> tuple:
    starts, problems, markup = result
    return (
        {name: [(m.span(), m.groups()) for m in tags] for name, tags in starts.items()},
        problems,
        [token_span(token, source) for token in markup],
    )


@settings(max_examples=500)
@given(bodies)
def test_scan_as_before(source: str) -> None:
    assert _plain(html_doc._scan(source), source) == _plain(reference_scan(source), source)


def reference_visible_text(source: str) -> str:
    """The visible text as the parse read it with every candidate selector part, always."""
    tree = LexborHTMLParser(source)
    hidden = {}
    for node in tree.css(_HIDDEN_SELECTOR):
        attributes = node.attributes
        if node.tag in _NEVER_SHOWN or "hidden" in attributes or _HIDDEN_STYLE_RE.search(attributes.get("style") or ""):
            hidden[node.mem_id] = node
    outermost = []
    for node in hidden.values():
        parent = node.parent
        while parent is not None and parent.mem_id not in hidden:
            parent = parent.parent
        if parent is None:
            outermost.append(node)
    for node in outermost:
        node.decompose()
    return tree.body.text(deep=True, separator=" ") if tree.body is not None else ""


@settings(max_examples=400)
@given(bodies)
def test_hidden_elements_as_before(source: str) -> None:
    assert parse_html(source).visible_text == reference_visible_text(source)


def test_a_hidden_style_written_with_a_character_reference_still_hides() -> None:
    source = "<p>shown</p><p style='displa&#x79;:none'>gone</p><p style='DISPLAY: NONE'>gone too</p><p style='font-size:14px'>kept</p>"
    assert parse_html(source).visible_text.split() == ["shown", "kept"]


TAGGY = [
    "{",
    "}",
    "{{",
    "}}",
    "|",
    "%",
    "{%",
    "%}",
    "{{%x%}}",
    "{{% if a %}}",
    "{a|b}",
    "{ a | b }",
    "{spin}",
    "{endspin}",
    "{SPIN}",
    "{{First Name}}",
    "{{Company|'x'}}",
    "{{RANDOM|a|b}}",
    "[[x]]",
    "a",
    " ",
    "\n",
]


@settings(max_examples=600)
@given(st.lists(st.sampled_from(TAGGY), max_size=40).map("".join))
def test_tag_findings_with_the_spin_count_given_as_before(text: str) -> None:
    from tests.test_validation_support import FIELDS
    from tui.api.channels import Channel
    from tui.text import mergetags
    from tui.validation.context import Context
    from tui.validation.rules_tags import Known, tags_in

    known = Known(Context(channel=Channel.EMAIL, fields=FIELDS))
    assert tags_in("payload.content", text, known, len(mergetags.find_spins(text))) == tags_in(
        "payload.content", text, known
    )
