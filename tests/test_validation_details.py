"""Spans, 'did you mean', message contents, ordering, the catalogue and context building."""

from __future__ import annotations

from tests.test_validation_support import BODY, FIELDS, ctx, email, first, followup, variant, words
from tui.api.channels import Channel
from tui.api.models import ProspectField, Step
from tui.validation import FIELD_ORDER, RULES, Severity, context_for, validate
from tui.validation.suggest import nearest_label


def only(rule_id: str, draft, context):
    return [finding for finding in validate(draft, context) if finding.rule_id == rule_id]


def text_at(draft, finding) -> str:
    path = finding.field
    text = draft.payload[path.split(".", 1)[1]] if path.startswith("payload.") else getattr(draft, path)
    start, end = finding.span
    return text[start:end]


# Did you mean …?


def test_unknown_tag_suggests_the_nearest_label() -> None:
    draft = email(subject="Hi {{Frist Name|'there'}} at {{Compnay}}")
    found = only("tags.unknown", draft, followup())
    assert [text_at(draft, f) for f in found] == ["{{Frist Name|'there'}}", "{{Compnay}}"]
    assert "did you mean {{First Name}}?" in found[0].message
    assert "{{Company}}" in found[1].message and "{{Company}}" in found[1].hint


def test_nearest_label_prefers_the_normalised_form_then_edit_distance() -> None:
    labels = ["First Name", "Last Name", "Company", "Job Title"]
    assert nearest_label("first_name", labels) == "First Name"
    assert nearest_label("LASTNAME", labels) == "Last Name"
    assert nearest_label("jobtitel", labels) == "Job Title"
    assert nearest_label("Favourite Colour", labels) is None


def test_unknown_tag_far_from_every_label_gets_no_suggestion() -> None:
    found = only("tags.unknown", email(subject="Hi {{Favourite Colour|'x'}}"), followup())
    assert len(found) == 1 and "did you mean" not in found[0].message


def test_link_tag_is_the_unsubscribe_url_not_an_unknown_field() -> None:
    draft = email(content=BODY + '<p><a href="{{link}}">unsubscribe</a></p>')
    assert only("tags.unknown", draft, followup()) == []


# Spans point at the right text.


def test_limit_span_covers_the_excess() -> None:
    draft = variant(Channel.LINKEDIN_CONNECTION_REQUEST, {"connectionNote": "x" * 305})
    (finding,) = only("api.limit", draft, ctx(Channel.LINKEDIN_CONNECTION_REQUEST))
    assert finding.span == (300, 305) and finding.field == "payload.connectionNote"
    assert finding.severity is Severity.ERROR and finding.threshold == "300"
    assert "305" in finding.message and "300" in finding.message


def test_markup_spans_point_into_the_html_source() -> None:
    content = "<p>" + words(40) + '</p><script>x()</script><p onclick="go()">tap</p><div>open'
    draft = email(content=content)
    found = only("email.markup", draft, followup())
    by_text = {text_at(draft, f): f for f in found}
    assert by_text["<script>"].severity is Severity.ERROR
    assert by_text['<p onclick="go()">'].severity is Severity.WARNING
    assert by_text["<div>"].severity is Severity.WARNING and "never closed" in by_text["<div>"].message


def test_mismatched_end_tag_span() -> None:
    draft = email(content="<p>" + words(40) + "</p><b><i>mixed</b></i>")
    (finding,) = only("email.markup", draft, followup())
    assert text_at(draft, finding) == "</b>" and "<i>" in finding.message


def test_stray_end_tag_span() -> None:
    draft = email(content="<p>" + words(40) + "</p>text</span>")
    (finding,) = only("email.markup", draft, followup())
    assert text_at(draft, finding) == "</span>" and "closes nothing" in finding.message


def test_spam_word_spans_in_html_skip_markup_and_tags() -> None:
    content = '<p class="free">' + words(40) + ' Get it <b>FREE</b> now, {{Free Field|"x"}}.</p>'
    draft = email(content=content)
    found = only("email.spam-words", draft, followup())
    assert [text_at(draft, f) for f in found] == ["FREE"]


def test_two_spam_words_in_a_subject_say_it_is_worse() -> None:
    draft = email(subject="Free bonus inside")
    found = only("email.spam-words", draft, followup())
    assert [text_at(draft, f) for f in found] == ["Free", "bonus"]
    assert all("2 or more in a subject" in f.message for f in found)
    single = only("email.spam-words", email(subject="A bonus idea"), followup())
    assert len(single) == 1 and "2 or more" not in single[0].message


def test_link_span_and_image_span() -> None:
    content = "<p>" + words(40) + '</p><a href="https://bit.ly/x">deck</a><img src="a.png">'
    draft = email(content=content)
    (short,) = [f for f in only("email.links", draft, followup()) if "shortener" in f.message]
    assert text_at(draft, short) == '<a href="https://bit.ly/x">'
    (image,) = [f for f in only("email.images", draft, followup()) if "alt" in f.message]
    assert text_at(draft, image) == '<img src="a.png">'


def test_shouting_spans() -> None:
    draft = email(subject="FREE demo!! for {{COMPANY|'you'}}")
    found = only("email.subject-shouting", draft, followup())
    assert [text_at(draft, f) for f in found] == ["FREE", "!!"]


def test_spintax_and_tag_spans() -> None:
    draft = email(subject="{spin}Hi||Hey{endspin} {{First Name")
    empty = only("spin.empty-option", draft, followup())
    unbalanced = only("tags.unbalanced", draft, followup())
    assert text_at(draft, empty[0]).startswith("{spin}Hi||Hey")
    assert text_at(draft, unbalanced[0]) == "{{"


def test_foreign_syntax_offers_the_saleshandy_form() -> None:
    draft = email(subject="{{RANDOM|Hi|Hey}} [[First Name]] {a|b}")
    found = only("tags.foreign-syntax", draft, followup())
    assert [text_at(draft, f) for f in found] == ["{{RANDOM|Hi|Hey}}", "[[First Name]]", "{a|b}"]
    assert "{spin}Hi|Hey{endspin}" in found[0].hint
    assert "{{First Name}}" in found[1].hint
    assert "{spin}a|b{endspin}" in found[2].hint
    # The pasted syntax is reported once, not again as an unknown tag.
    assert only("tags.unknown", draft, followup()) == []


# Messages name the measured value and the threshold.


def test_subject_length_message_names_value_and_threshold() -> None:
    subject = "An unusually long subject line about release checks for your team"
    (finding,) = only("email.subject-length", email(subject=subject), followup())
    assert f"{len(subject)} characters" in finding.message
    assert "60" in finding.message and "35" in finding.message


def test_body_length_message_names_the_count() -> None:
    (finding,) = only("email.body-length", email(content=f"<p>{words(10)}</p>"), first())
    assert "10 words" in finding.message and "25" in finding.message


def test_combinations_are_counted() -> None:
    draft = email(subject="{spin}Hi|Hey{endspin} there", content=BODY + "<p>{spin}a|b|c{endspin}</p>")
    (finding,) = only("spin.combinations", draft, followup())
    assert finding.severity is Severity.INFO and "6 different versions" in finding.message


def test_combinations_message_agrees_with_its_counts() -> None:
    (one,) = only("spin.combinations", email(subject="{spin}Hi|Hey{endspin} there"), followup())
    assert one.message.startswith("1 spintax block gives 2 different versions of ")
    draft = email(subject="{spin}Hi|Hey{endspin} there", content=BODY + "<p>{spin}a|b|c{endspin}</p>")
    (many,) = only("spin.combinations", draft, followup())
    assert many.message.startswith("2 spintax blocks give 6 different versions of ")
    (single,) = only("spin.combinations", email(subject="{spin}Hi{endspin} there"), followup())
    assert single.message.startswith("1 spintax block gives only 1 version of ")


def test_free_linkedin_account_makes_the_200_limit_an_error() -> None:
    draft = variant(Channel.LINKEDIN_CONNECTION_REQUEST, {"connectionNote": "x" * 250})
    (paid,) = only("linkedin.free-limit", draft, ctx(Channel.LINKEDIN_CONNECTION_REQUEST))
    (free,) = only("linkedin.free-limit", draft, ctx(Channel.LINKEDIN_CONNECTION_REQUEST, linkedin_free_account=True))
    assert paid.severity is Severity.WARNING and free.severity is Severity.ERROR
    assert paid.span == (200, 250)


# Ordering.


def test_findings_are_ordered_by_severity_then_field_then_span() -> None:
    draft = email(subject="FREE!! {{Frist Name}}", content="<p>tiny</p><script></script>", taskNote="x", status=5)
    found = validate(draft, first())
    keys = [(f.severity.rank, FIELD_ORDER.index(f.field), f.span or (-1, -1)) for f in found]
    assert keys == sorted(keys)
    assert found[0].severity is Severity.ERROR and found[-1].severity is not Severity.ERROR
    assert Severity.ERROR < Severity.WARNING < Severity.INFO


# The catalogue.


def test_catalogue_entries_are_complete() -> None:
    for rule_id, rule in RULES.items():
        assert rule.rule_id == rule_id
        assert rule.title and rule.threshold and rule.rationale
        assert isinstance(rule.severity, Severity)


# Context.


def _step(step_id: str, channel: Channel, day: int | None, number: int) -> Step:
    return Step(id=step_id, type=channel.wire, absoluteDays=day, number=number, variants=[])


def test_context_for_finds_the_first_email_and_the_neighbours() -> None:
    steps = [
        _step("li", Channel.LINKEDIN_MESSAGE, 1, 1),
        _step("e2", Channel.EMAIL, 4, 3),
        _step("e1", Channel.EMAIL, 2, 2),
    ]
    context = context_for(steps, steps[2], fields=FIELDS, attachment_ids=["a1"])
    assert context.first_email and context.channel is Channel.EMAIL and context.day == 2
    assert context.other_steps == [("li", Channel.LINKEDIN_MESSAGE, 1), ("e2", Channel.EMAIL, 4)]
    assert context.attachment_ids == {"a1"} and context.fields == FIELDS
    assert not context_for(steps, steps[1]).first_email
    assert context_for(steps, steps[1]).fields is None


def test_context_for_feeds_the_day_clash_rule() -> None:
    steps = [_step("e1", Channel.EMAIL, 2, 1), _step("e2", Channel.EMAIL, 2, 2)]
    context = context_for(steps, steps[1])
    assert [f.rule_id for f in validate(email(), context) if f.rule_id.startswith("api.")] == ["api.days-email-clash"]


def test_stored_fallback_silences_no_fallback() -> None:
    fields = [ProspectField(id="1", label="First Name", fallbackText="there")]
    assert only("tags.no-fallback", email(subject="Hi {{First Name}}"), ctx(fields=fields)) == []


def test_nested_hidden_content_does_not_count_as_words() -> None:
    hidden = (
        '<div style="display: none">' + words(300) + "<span hidden>" + words(50) + "<style>p{}</style></span></div>"
    )
    draft = email(content="<p>" + words(30) + "</p>" + hidden + '<p style="font-size:0">' + words(200) + "</p>")
    assert only("email.body-length", draft, first()) == []
    assert only("email.body-length", email(content="<p>" + words(30) + "</p><div>" + words(200) + "</div>"), first())
