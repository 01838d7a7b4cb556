"""Issue 14 item 1: each decision in one place, so that changing it there changes it everywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui.api.models import Sequence, Step
from tui.session.variant_checks import VariantChecks
from tui.session.workspace import VariantKey, Workspace

ROOT = Path(__file__).resolve().parent.parent

RANGE_PROBE = """
import tui.api.channels as channels
channels.ABSOLUTE_DAYS_RANGE = (1, 365)
from pydantic import ValidationError
from tui.api.channels import Channel
from tui.api.models import AddVariant, Variant, VariantUpdate
from tui.sandbox.rules import VariantContext, check_variant_body
from tui.validation import Context, validate
from tui.validation.catalogue import RULES
seen = []
for model in (VariantUpdate, AddVariant):
    try:
        model.model_validate({"type": "Email", "payload": {}, "absoluteDays": 400})
        seen.append("taken")
    except ValidationError:
        seen.append("refused")
variant = Variant.model_validate({"id": "v", "type": "Email", "absoluteDays": 400, "payload": {"subject": "s", "content": "<p>x</p>"}})
found = [f for f in validate(variant, Context(channel=Channel.EMAIL)) if f.rule_id == "api.days-range"]
seen.append(found[0].threshold if found else "no finding")
seen.append(RULES["api.days-range"].threshold)
problems = check_variant_body({"absoluteDays": 400}, VariantContext(channel=Channel.EMAIL))
seen.append("sandbox refuses" if any("absoluteDays" in p for p in problems) else "sandbox takes")
print(seen)
"""


def test_the_day_range_is_read_from_the_channel_table_by_every_user() -> None:
    # Set the range once, before anything reads it: models, rules, catalogue and sandbox follow.
    done = subprocess.run([sys.executable, "-c", RANGE_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(["refused", "refused", "1 to 365", "1 to 365", "sandbox refuses"])


CHANNEL_PROBE = """
from dataclasses import replace
from types import MappingProxyType
import tui.api.channels as channels
from tui.api.channels import Channel
table = dict(channels.CHANNEL_INFO)
table[Channel.EMAIL] = replace(table[Channel.EMAIL], max_variants=10)
table[Channel.LINKEDIN_MESSAGE] = replace(table[Channel.LINKEDIN_MESSAGE], limits={"message": 7000})
channels.CHANNEL_INFO = MappingProxyType(table)
from tui.validation.catalogue import RULES
print(RULES["api.variant-count"].threshold, "|", RULES["api.limit"].threshold)
"""


def test_the_rule_catalogue_states_the_channel_tables_facts() -> None:
    done = subprocess.run([sys.executable, "-c", CHANNEL_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    count, limits = done.stdout.strip().split(" | ")
    assert count == "Email: 10 variants (A to J)"
    assert "LinkedIn message: message 7000" in limits and "8000" not in limits


def _step_without_its_own_day() -> tuple[Workspace, VariantKey, VariantKey]:
    """A step the server sent without absoluteDays, whose variant A carries day 4 and B none;
    and another Email step on day 4."""
    workspace = Workspace()
    workspace.add_sequences([Sequence(id="s1", title="Q3")])
    email = {"subject": "Hi", "content": "<p>Hello there, a note.</p>"}
    steps = [
        Step.model_validate(
            {
                "id": "st1",
                "type": "Email",
                "variants": [
                    {"id": "a", "absoluteDays": 4, "payload": email},
                    {"id": "b", "payload": email},
                ],
            }
        ),
        Step.model_validate(
            {"id": "st2", "type": "Email", "absoluteDays": 4, "variants": [{"id": "c", "payload": email}]}
        ),
    ]
    workspace.set_steps("s1", steps)
    return workspace, VariantKey("s1", "st1", "a"), VariantKey("s1", "st1", "b")


def test_a_variant_without_a_day_is_on_its_steps_day_for_the_form_the_save_and_the_rules() -> None:
    workspace, _a, b = _step_without_its_own_day()
    # The form shows this day, and typing it is no edit (MainScreen asks day_of).
    assert workspace.day_of(b) == 4
    # Saving day 4 moves nothing: the review says nothing of a move.
    assert workspace.day_move(b, 4) is None
    assert workspace.day_move(b, 5) is not None
    # The rules check the same day: it clashes with the other Email step on day 4.
    findings = VariantChecks(workspace).findings(b)
    assert any(finding.rule_id == "api.days-email-clash" for finding in findings)
    # The step's day is said the same way in titles, messages and the tree (not "Day None").
    from tui.widgets.sequence_tree import step_label

    assert workspace.where(b) == "Q3 › Day 4 Email"
    assert "Day 4 Email" in workspace.describe(b)
    assert step_label(workspace.step("s1", "st1"), False).plain.startswith("Day 4 · ")
    # An own day wins over the step's, in all three.
    workspace.edit(b, absoluteDays=6)
    assert workspace.day_of(b) == 6
    assert not any(f.rule_id == "api.days-email-clash" for f in VariantChecks(workspace).findings(b))


def _linkedin_message_with_a_leftover_note():
    from tui.api.models import Variant

    # The server may return a key another channel uses (a LinkedIn message that was once a
    # connection request): what is sent, and so what is shown, is the channel's own text key.
    return Variant.model_validate(
        {
            "id": "v1",
            "type": "LinkedInMessage",
            "status": 1,
            "payload": {"connectionNote": "Old note from before", "message": "Thanks for connecting"},
        }
    )


def test_the_channels_text_key_decides_what_preview_headline_and_comparison_read() -> None:
    from tui.api.channels import TEXT_KEYS, Channel, text_key_of
    from tui.preview.compose import compose_preview
    from tui.session.compare import side

    variant = _linkedin_message_with_a_leftover_note()
    assert text_key_of(variant.type, variant.payload) == "message" == Channel.LINKEDIN_MESSAGE.info.text_key
    view = compose_preview(variant, width=60)
    assert "Thanks for connecting" in view.plain and "Old note" not in view.plain
    assert variant.headline == "Thanks for connecting"
    assert side("A", variant).words == 3  # the message's words, not the note's four
    assert TEXT_KEYS == ("content", "connectionNote", "message")


def test_the_headless_preview_prints_what_the_pane_composes(tmp_path: Path, capsys) -> None:
    # Issue 14 item 3: one composition path; `seqedit preview` built its own headers before.
    import json

    from tui.api.models import Variant
    from tui.cli import main
    from tui.preview.compose import compose_preview

    email = Variant.model_validate(
        {
            "id": "v1",
            "type": "Email",
            "status": 0,
            "payload": {
                "subject": "{spin}Quick|Short{endspin} question",
                "preheader": "About {{Company|'your team'}}",
                "content": "<p>Hi there,</p><p>See <a href='https://example.com/x'>this</a>.</p>",
            },
        }
    )
    for variant in (email, _linkedin_message_with_a_leftover_note()):
        path = tmp_path / "variant.json"
        path.write_text(json.dumps(variant.model_dump(mode="json")), encoding="utf-8")
        assert main(["preview", str(path), "--width", "60", "--spin", "2", "--sender", "Ana"]) == 0
        view = compose_preview(variant, width=60, spin=1, sender="Ana", spin_hint="--spin N")
        assert capsys.readouterr().out == view.plain


def test_a_finding_names_a_payload_field_as_the_form_does() -> None:
    # Two tables of labels had drifted: the form said "Content (HTML)", the findings "Content".
    from tui.api.channels import PAYLOAD_LABELS
    from tui.widgets.findings_panel import field_label

    assert field_label("payload.content") == "Content (HTML)" == PAYLOAD_LABELS["content"]
    assert all(field_label(f"payload.{key}") == label for key, label in PAYLOAD_LABELS.items())
