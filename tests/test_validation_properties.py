"""Nothing crashes the engine: arbitrary values in every field, malformed and huge HTML."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_validation_support import FIELDS
from tui.api.channels import Channel
from tui.api.models import ProspectField, Variant
from tui.validation import RULES, Context, Finding, Severity, validate

# Pieces that stress the parsers: markup, merge tags, spintax, other tools' syntax, controls.
FRAGMENTS = [
    "<",
    ">",
    "</",
    "/>",
    "<p>",
    "</p>",
    "<div",
    "<a href='",
    '<a href="#">',
    "</a>",
    "<img src=x>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<!DOCTYPE html>",
    "<![CDATA[",
    "<b><i>",
    "</b>",
    "onclick=",
    'style="display:none"',
    "{{",
    "}}",
    "{{First Name|'x'}}",
    "{{RANDOM|a|b}}",
    "{spin}",
    "{endspin}",
    "|",
    "{",
    "}",
    "{%",
    "%}",
    "[[",
    "]]",
    "free",
    "FREE!!",
    "RE:",
    "http://bit.ly/x",
    "&amp;",
    "&#0;",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\ud7ff",
    "\ud800",
    "\udfff",
    "\U0001f600",
    "İ",
    "ß",
    " ",
    "\n",
    "word ",
]
texty = st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join))
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    texty,
    st.lists(texty, max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
payload_keys = st.one_of(
    st.sampled_from(["subject", "content", "preheader", "connectionNote", "message", "title", "action"]),
    st.text(max_size=8),
)
payloads = st.one_of(st.dictionaries(payload_keys, st.one_of(texty, anything), max_size=5), anything)
labels = st.one_of(st.sampled_from(["First Name", "Company", "firstName", ""]), st.text(max_size=20))
fields = st.one_of(
    st.none(),
    st.lists(
        st.builds(
            ProspectField, id=st.just("f"), label=labels, fallbackText=st.one_of(st.none(), st.text(max_size=10))
        ),
        max_size=5,
    ),
)


@st.composite
def drafts(draw) -> Variant:
    draft = Variant(id="v", type=draw(st.sampled_from(list(Channel))).wire, payload={})
    draft.payload = draw(payloads)
    for name in ("status", "taskNote", "attachmentIds", "priority", "absoluteDays", "type"):
        if draw(st.booleans()):
            setattr(draft, name, draw(anything))
    return draft


@st.composite
def contexts(draw) -> Context:
    return Context(
        channel=draw(st.sampled_from(list(Channel))),
        first_email=draw(st.booleans()),
        step_id=draw(st.one_of(st.none(), st.text(max_size=4))),
        other_steps=draw(
            st.lists(
                st.tuples(st.text(max_size=4), st.sampled_from(list(Channel)), st.one_of(st.none(), st.integers())),
                max_size=4,
            )
        ),
        fields=draw(fields),
        attachment_ids=draw(st.one_of(st.none(), st.sets(st.text(max_size=4), max_size=3))),
        linkedin_free_account=draw(st.booleans()),
        day=draw(st.one_of(st.none(), st.integers())),
    )


def _check(found: object) -> None:
    assert isinstance(found, list)
    for finding in found:
        assert isinstance(finding, Finding)
        assert finding.rule_id in RULES
        assert isinstance(finding.severity, Severity)
        assert finding.message and finding.hint
        if finding.span is not None:
            start, end = finding.span
            assert 0 <= start <= end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts(), contexts())
def test_any_draft_in_any_context_gives_findings(draft: Variant, context: Context) -> None:
    _check(validate(draft, context))


@settings(max_examples=200, deadline=None)
@given(texty, texty, texty, st.booleans())
def test_any_email_text_gives_findings_with_spans_inside_the_field(
    subject: str, content: str, preheader: str, first: bool
) -> None:
    draft = Variant(id="v", type="Email", payload={"subject": subject, "content": content, "preheader": preheader})
    found = validate(draft, Context(channel=Channel.EMAIL, first_email=first, fields=FIELDS))
    _check(found)
    texts = {"payload.subject": subject, "payload.content": content, "payload.preheader": preheader}
    for finding in found:
        if finding.span is not None and finding.field in texts:
            assert finding.span[1] <= len(texts[finding.field])


def test_huge_malformed_html_is_handled() -> None:
    junk = ("<div><p class='x' onclick=\"a()\">{{First Name <b><i>free</b>{spin}a||b " * 4000) + "<script>" + "<" * 5000
    draft = Variant(id="v", type="Email", payload={"subject": "Hi", "content": junk})
    found = validate(draft, Context(channel=Channel.EMAIL, first_email=True, fields=FIELDS))
    _check(found)
    assert {"email.size", "email.markup", "tags.unbalanced"} <= {f.rule_id for f in found}
    # Caps keep a broken body from drowning the panel.
    assert len(found) < 400


SPAMMY = [
    "free",
    "FREE",
    "Free",
    "fr ee",
    "risk-free",
    "100%",
    "cl\u0130ck",
    "clic\u212a",
    "\u0130",
    "\u03a3",
    "bulk",
    "win\u00a0ner",
    "winner",
    "\u2003",
    "\t",
    "\n",
    " ",
    "x",
    "—",
    "prize",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(SPAMMY), max_size=30).map("".join)))
def test_the_spam_prefilter_answers_as_a_search_of_the_lower_cased_text(text: str) -> None:
    from tui.validation.spam import _QUICK_WORDS, might_be_spam

    assert might_be_spam(text) == any(word in text.lower() for word in _QUICK_WORDS)


@settings(max_examples=300, deadline=None)
@given(texty)
def test_tags_parsed_once_per_distinct_text_match_find_tags(text: str) -> None:
    from tui.text import mergetags
    from tui.validation.rules_tags import _find_tags

    assert [(start, end, tag.label, tag.fallback) for start, end, _raw, tag in _find_tags(text)] == [
        (tag.start, tag.end, tag.label, tag.fallback) for tag in mergetags.find_tags(text)
    ]
