"""The demo account: a small outbound agency with eight sequences covering all 15 channels.

Built through the store's seeding API, so ids come from the store's seeded RNG and the same seed
gives the same account. The texts live in :mod:`tui.sandbox.demo_content`.
"""

from __future__ import annotations

from typing import Any

from tui.api.channels import Channel

from . import demo_content as text
from .store import SandboxStore

SYSTEM_FIELDS = (
    ("First Name", "text"),
    ("Last Name", "text"),
    ("Email", "email"),
    ("Company", "text"),
    ("Job Title", "text"),
    ("Phone Number", "phone"),
    ("City", "text"),
    ("Website", "url"),
    ("LinkedIn Profile", "url"),
)
CUSTOM_FIELDS = (
    ("Pain Point", "text", "pipeline visibility"),
    ("Recent Trigger", "text", None),
    ("Tech Stack", "text", "your current tools"),
)
PROSPECTS = (
    (
        "Dana Whitfield",
        {
            "First Name": "Dana",
            "Last Name": "Whitfield",
            "Email": "dana.whitfield@brightline.example.com",
            "Company": "Brightline Analytics",
            "Job Title": "Head of RevOps",
            "City": "Austin",
            "Pain Point": "forecast accuracy",
            "Recent Trigger": "Series B in August",
            "Tech Stack": "HubSpot and Looker",
        },
    ),
    (
        "Marcus Okafor",
        {
            "First Name": "Marcus",
            "Last Name": "Okafor",
            "Email": "m.okafor@harborfreight.example.com",
            "Company": "Harbor Freight Logistics",
            "Job Title": "Warehouse Operations Manager",
            "City": "Oakland",
            "Pain Point": "picking errors",
            "Tech Stack": "Manhattan WMS",
        },
    ),
    (
        "Sofia Lindqvist",
        {
            "First Name": "Sofia",
            "Last Name": "Lindqvist",
            "Email": "sofia@nordlys.example.com",
            "Company": "Nordlys Health",
            "Job Title": "VP Data",
            "City": "Stockholm",
        },
    ),
    # Missing a first name and the custom fields, so the preview shows every fallback.
    (
        "(no name) ops@quietpine.example.com",
        {
            "Email": "ops@quietpine.example.com",
            "Company": "Quiet Pine Supply",
        },
    ),
)


def build_account_basics(store: SandboxStore) -> tuple[list[str], list[str]]:
    """Teams, users, prospect fields and sample prospects; returns (owner ids, assignee ids)."""
    sales = store.add_team("Sales")
    sdr = store.add_team("SDR Team")
    owners = [
        store.add_user("Maya", "Chen", "maya.chen@northpeak.example.com", team_id=sales),
        store.add_user("Jordan", "Reyes", "jordan.reyes@northpeak.example.com", team_id=sales),
    ]
    assignees = owners + [
        store.add_user("Priya", "Nair", "priya.nair@northpeak.example.com", team_id=sdr),
        store.add_user("Tom", "Becker", "tom.becker@northpeak.example.com", team_id=sdr),
        store.add_user("Lena", "Okafor", "lena.okafor@northpeak.example.com", team_id=sdr),
    ]
    for label, kind in SYSTEM_FIELDS:
        store.add_field(label, field_type=kind, system=True)
    for label, kind, fallback in CUSTOM_FIELDS:
        store.add_field(label, field_type=kind, fallback_text=fallback)
    for name, values in PROSPECTS:
        store.add_prospect(name, values)
    return owners, assignees


def _email(subject: str, content: str, preheader: str | None = None, **extra: Any) -> dict[str, Any]:
    payload = {"subject": subject, "content": content}
    if preheader is not None:
        payload["preheader"] = preheader
    return {"payload": payload, **extra}


def _task(note: str, who: str, priority: str = "Normal", payload: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"payload": payload or {}, "taskNote": note, "assigneeId": who, "priority": priority}


def _step(channel: Channel, day: int, variants: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"channel": channel, "day": day, "variants": variants, **extra}


def build_demo(store: SandboxStore) -> None:
    """Fill an empty ``store`` with the demo account."""
    owners, people = build_account_basics(store)
    maya, jordan = owners
    priya, tom, lena = people[2:]
    deck = store.add_attachment("Northpeak-overview.pdf", 482_113, "application/pdf")["id"]
    case_study = store.add_attachment("Acme-Vision-case-study.pdf", 1_204_880, "application/pdf")["id"]
    store.add_attachment(
        "pricing-2025.xlsx", 38_912, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )

    acme = store.add_client("Acme Robotics", "Jordan", "Reyes")
    northwind = store.add_client("Northwind Analytics", "Priya", "Nair")
    person_client = store.add_client(None, "Elliot", "Marsh")

    E = Channel
    store.add_sequence(
        "Q4 Outbound: Heads of RevOps",
        user=maya,
        steps=[
            _step(
                E.EMAIL,
                1,
                [
                    _email(text.COLD_SUBJECT_A, text.COLD_HTML_A),
                    _email(text.COLD_SUBJECT_B, text.COLD_HTML_B),
                    _email(text.COLD_SUBJECT_C, text.COLD_HTML_C),
                ],
            ),
            _step(
                E.LINKEDIN_VIEW_PROFILE, 2, [_task(text.TASK_VIEW_PROFILE, tom, "Low")], priority="Low", assignee_id=tom
            ),
            _step(E.EMAIL, 3, [_email("", text.FOLLOW_UP_HTML_A), _email("", text.FOLLOW_UP_HTML_B)]),
            _step(
                E.LINKEDIN_CONNECTION_REQUEST,
                4,
                [
                    _task(text.TASK_LINKEDIN, tom, payload={"connectionNote": text.LINKEDIN_NOTE_LONG}),
                ],
                priority="Normal",
                assignee_id=tom,
            ),
            _step(
                E.CALL_INTRODUCTION, 6, [_task(text.TASK_CALL_INTRO, maya, "High")], priority="High", assignee_id=maya
            ),
            _step(E.EMAIL, 9, [_email(text.BREAKUP_SUBJECT, text.BREAKUP_HTML)]),
        ],
    )
    store.add_sequence(
        "Acme Robotics: Warehouse Managers",
        client=acme,
        user=jordan,
        steps=[
            _step(
                E.EMAIL,
                1,
                [
                    _email(
                        text.MARKETING_SUBJECT,
                        text.MARKETING_HTML,
                        text.MARKETING_PREHEADER,
                        attachmentIds=[case_study],
                    ),
                    _email(text.ACME_SUBJECT_B, text.ACME_HTML_B),
                ],
            ),
            _step(
                E.LINKEDIN_MESSAGE,
                3,
                [_task("", jordan, payload={"message": text.ACME_LINKEDIN_MESSAGE})],
                assignee_id=jordan,
            ),
            _step(
                E.LINKEDIN_INMAIL,
                5,
                [
                    _task(
                        text.TASK_LINKEDIN,
                        jordan,
                        payload={"subject": text.ACME_INMAIL_SUBJECT, "message": text.ACME_INMAIL_MESSAGE},
                    ),
                ],
                assignee_id=jordan,
            ),
            _step(
                E.CALL_DEMO, 7, [_task(text.TASK_CALL_DEMO, jordan, "Urgent")], priority="Urgent", assignee_id=jordan
            ),
            _step(E.EMAIL, 10, [_email(text.ACME_LAST_SUBJECT, text.ACME_LAST_HTML)]),
        ],
    )
    store.add_sequence(
        "Webinar invite: Data Leaders",
        active=False,
        client=northwind,
        user=maya,
        steps=[
            _step(
                E.EMAIL,
                1,
                [
                    _email(text.WEBINAR_SUBJECT_A, text.WEBINAR_HTML_A),
                    _email(text.WEBINAR_SUBJECT_B, text.WEBINAR_HTML_B),
                    _email(text.WEBINAR_SUBJECT_C, text.WEBINAR_HTML_C, status=0),
                ],
            ),
            _step(
                E.WHATSAPP_MESSAGE,
                2,
                [_task(text.TASK_WHATSAPP, priya, payload={"message": text.WHATSAPP_MESSAGE})],
                assignee_id=priya,
            ),
            _step(E.WHATSAPP_VOICE_MESSAGE, 4, [_task(text.TASK_VOICE_NOTE, priya)], assignee_id=priya),
            _step(E.EMAIL, 6, [_email(text.WEBINAR_REMINDER_SUBJECT, text.WEBINAR_REMINDER_HTML)]),
        ],
    )
    store.add_sequence(
        "Founders intro",
        active=False,
        user=maya,
        steps=[
            _step(E.EMAIL, 1, [_email(text.FOUNDERS_SUBJECT, text.FOUNDERS_HTML)]),
            _step(E.LINKEDIN_POST_INTERACTION, 2, [_task(text.TASK_POST_INTERACTION, lena, "Low")], assignee_id=lena),
            _step(E.CUSTOM, 3, [_task(text.TASK_EMPTY, lena)], name="Research task", assignee_id=lena),
            _step(
                E.CALL_FOLLOW_UP, 5, [_task(text.TASK_CALL_FOLLOW_UP, maya, "High")], priority="High", assignee_id=maya
            ),
        ],
    )
    store.add_sequence(
        "Re-engage closed-lost (Q2)",
        client=person_client,
        user=maya,
        steps=[
            _step(E.EMAIL, 1, [_email(text.REENGAGE_SUBJECT, text.REENGAGE_HTML)]),
            _step(E.CALL_REMINDER, 4, [_task(text.TASK_CALL_REMINDER, tom)], assignee_id=tom),
            _step(E.CALL_OTHER, 8, [_task(text.TASK_CALL_OTHER, tom, payload={"connectionNote": ""})], assignee_id=tom),
            _step(E.WHATSAPP_VOICE_CALL, 9, [_task(text.TASK_VOICE_CALL, priya)], assignee_id=priya),
        ],
    )
    store.add_sequence(
        "Event follow-up: SaaStr",
        user=maya,
        steps=[
            _step(
                E.EMAIL,
                1,
                [
                    _email(text.EVENT_SUBJECT_A, text.EVENT_HTML_A, attachmentIds=[deck]),
                    _email(text.EVENT_SUBJECT_B, text.EVENT_HTML_B, attachmentIds=[deck]),
                ],
            ),
            _step(
                E.LINKEDIN_CONNECTION_REQUEST,
                2,
                [
                    _task(text.TASK_LINKEDIN, tom, payload={"connectionNote": text.LINKEDIN_NOTE_SHORT}),
                ],
                assignee_id=tom,
            ),
            _step(E.EMAIL, 4, [_email(text.EVENT_SECOND_SUBJECT, text.EVENT_SECOND_HTML)]),
        ],
    )
    store.add_sequence(
        "Partner programme: agencies",
        active=False,
        user=jordan,
        steps=[
            _step(E.EMAIL, 1, [_email(text.PARTNER_SUBJECT, text.PARTNER_HTML, text.PARTNER_PREHEADER)]),
            _step(
                E.CUSTOM,
                3,
                [
                    _task(
                        text.TASK_PARTNER,
                        jordan,
                        "High",
                        payload={
                            "title": "Send the partner deck",
                            "action": {"name": "Open partner portal", "url": "https://partners.northpeak.example.com"},
                        },
                    ),
                ],
                name="Partner deck",
                assignee_id=jordan,
            ),
        ],
    )
    store.add_sequence(
        "Hiring managers: Engineering",
        user=jordan,
        steps=[
            _step(E.EMAIL, 1, [_email(text.HIRING_SUBJECT, text.HIRING_HTML)]),
            _step(
                E.LINKEDIN_MESSAGE,
                2,
                [_task("", lena, payload={"message": text.HIRING_LINKEDIN_MESSAGE})],
                assignee_id=lena,
            ),
            _step(E.EMAIL, 4, [_email(text.HIRING_SECOND_SUBJECT, text.HIRING_SECOND_HTML)]),
        ],
    )
    _connect_senders(store)
    store.set_meta("dataset", "demo")


def _connect_senders(store: SandboxStore) -> None:
    """Sending accounts (made last, so the other ids stay as they were): the first sequence has
    two senders, the inactive partner programme none, every other one its owner's mailbox."""
    sequences = store.sequence_ids()
    first = sequences[0][0]
    unconnected = {sequence_id for sequence_id, title in sequences if title.startswith("Partner programme")}
    rest = [sequence_id for sequence_id, _ in sequences if sequence_id not in unconnected]
    store.add_email_account("Maya Chen", "maya.chen@northpeak.example.com", sequences=rest)
    store.add_email_account("Northpeak Sales", "sales@northpeak.example.com", sequences=[first])
