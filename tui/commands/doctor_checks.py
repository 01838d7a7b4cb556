"""What ``seqedit doctor`` checks: the account's answers against what seqedit assumes.

Pure (no Textual), over the real :class:`tui.api.client.SaleshandyClient`, so it meets a server
exactly as the app does. The same checks run as tests with ``pytest -m live``.

Every text here is written to be pasted into a bug report: it names endpoints, field names,
HTTP statuses, counts and positions ("sequence 2, step 1, variant B"), never a value from the
account (no id, title, body or address) and never the key. Server messages are not repeated for
the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tui.api.channels import variant_letter
from tui.api.errors import ApiError, AuthError, NetworkError, NotFoundError
from tui.api.models import EDITABLE_FIELDS, Sequence, Step, Variant, fill_unknown, known_fields
from tui.drafts.diff import diff_variants

from .doctor_shapes import ShapeReport, shown_key

PASS, WARN, FAIL = "PASS", "WARN", "FAIL"
SCRATCH_PREFIX = "seqedit-scratch"
SEQUENCES = "/v1/sequences"
STEPS = "/v1/sequences/{sequenceId}/steps"
STEP = "/v1/sequences/{sequenceId}/steps/{stepId}"
# How the texts name the two variant reads (the shape report gives the full paths).
READ_STEPS = "GET …/steps"
READ_STEP = "GET …/steps/{stepId}"
SENDERS = "/v1/sequences/{sequenceId}/email-accounts"
FIELDS = "/v1/fields"
ASSIGNEES = "/v1/tasks/assignee/list"
UNKNOWN_PATH = "/v1/seqedit-doctor/no-such-endpoint"
# Made up, and shaped like a key so the client sends it: the server must refuse it.
WRONG_KEY = "seqedit-doctor-deliberately-wrong-key"
MISSING_ID = "seqeditDoctorNoSuchSequence"
SAMPLE_PAGE = 25

READ_CHECKS = (
    "reach",
    "sequences",
    "steps",
    "variants",
    "variant-reads-agree",
    "variant-fields",
    "fields",
    "assignees",
    "email-accounts",
    "bad-key",
    "missing-sequence",
    "unknown-path",
)
WRITE_CHECKS = ("write-noop", "write-priority", "write-days")


@dataclass
class Check:
    """One verdict: ``name`` (stable, from READ_CHECKS or WRITE_CHECKS), PASS/WARN/FAIL, a plain text."""

    name: str
    verdict: str
    text: str


@dataclass
class Diagnosis:
    """Everything the doctor found. ``unreachable``: why the account could not be read at all;
    ``refused``: why ``--write`` was not done (nothing was read or written then)."""

    checks: list[Check] = field(default_factory=list)
    shapes: ShapeReport = field(default_factory=ShapeReport)
    unreachable: str | None = None
    refused: str | None = None

    def add(self, name: str, verdict: str, text: str) -> None:
        self.checks.append(Check(name, verdict, text))

    def get(self, name: str) -> Check | None:
        return next((check for check in self.checks if check.name == name), None)

    @property
    def failed(self) -> bool:
        return any(check.verdict == FAIL for check in self.checks)


def _where(sequence: int, step: int | None = None, variant: int | None = None) -> str:
    text = f"sequence {sequence}"
    if step is not None:
        text += f", step {step}"
    if variant is not None:
        text += f", variant {variant_letter(variant)}"
    return text


def _field_name(path: str) -> str:
    return ".".join(shown_key(part) for part in path.split("."))


def _names(names: Iterable[str]) -> str:
    return ", ".join(sorted(set(names))) or "none"


def _applies(variant: Variant, name: str) -> bool:
    """Whether the field ``name`` means anything for ``variant``'s channel."""
    info = variant.type.info
    if name == "attachmentIds":
        return info.family == "email"
    if name in ("priority", "assigneeId"):
        return info.generates_task
    if name == "taskNote":
        return info.task_note
    return True


def _failure(exc: ApiError) -> str:
    status = f"HTTP {exc.status}" if exc.status else "no HTTP status"
    return f"{status} ({type(exc).__name__})"


async def diagnose(
    client: Any,
    wrong_key_client: Any,
    *,
    sequences: int = 3,
    steps: int = 3,
    write_sequence: str | None = None,
) -> Diagnosis:
    """Read a sample of the account through every read endpoint seqedit uses, try the error
    shapes, and with ``write_sequence`` (a scratch sequence's id) run the write checks."""
    report = Diagnosis()
    if write_sequence is not None:
        report.refused = await _scratch_refusal(client, write_sequence)
        if report.refused:
            return report
    try:
        raw = await client.read_raw(SEQUENCES, params={"page": 1, "pageSize": SAMPLE_PAGE})
    except AuthError as exc:
        report.unreachable = f"the server refused the key ({_failure(exc)}): check SALESHANDY_API_KEY"
        return report
    except NetworkError as exc:
        report.unreachable = f"could not reach the server ({type(exc).__name__})"
        return report
    except ApiError as exc:
        report.unreachable = f"GET {SEQUENCES} failed: {_failure(exc)}"
        return report
    report.shapes.add(f"GET {SEQUENCES}", raw)
    report.add("reach", PASS, f"the server answered GET {SEQUENCES} with the key")
    listed = await _first_page(client, report)
    await _walk(client, report, listed[:sequences], steps)
    await _reference_reads(client, report)
    await _senders(client, report, listed[:sequences])
    await _error_shapes(client, wrong_key_client, report)
    if write_sequence is not None:
        from .doctor_write import write_checks

        await write_checks(client, report, write_sequence)
    return report


async def _scratch_refusal(client: Any, sequence_id: str) -> str | None:
    """Why ``--write`` may not touch ``sequence_id`` (None: it is a scratch sequence)."""
    try:
        listing = await client.list_sequences()
    except ApiError as exc:
        return f"could not list the sequences to check the scratch sequence: {_failure(exc)}"
    found = next((item for item in listing.items if item.id == sequence_id), None)
    if found is None:
        return "no sequence with that id on this account"
    if not (found.title or "").startswith(SCRATCH_PREFIX):
        return (
            f"that sequence's title does not start with {SCRATCH_PREFIX!r}: --write only touches a scratch "
            "sequence made for it (create one in Saleshandy with a title starting with "
            f"{SCRATCH_PREFIX}, an Email step with two variants and a Call or task step)"
        )
    return None


async def _first_page(client: Any, report: Diagnosis) -> list[Sequence]:
    pages = client.iter_sequence_pages(page_size=SAMPLE_PAGE)
    try:
        page = await anext(pages, None)
    except ApiError as exc:
        report.add("sequences", FAIL, f"GET {SEQUENCES} could not be read as seqedit reads it: {_failure(exc)}")
        return []
    finally:
        await pages.aclose()
    if page is None:
        report.add("sequences", WARN, "the account answered no sequences: nothing else could be checked")
        return []
    total = len(page.items) + len(page.errors)
    if page.errors:
        report.add(
            "sequences",
            FAIL,
            f"{len(page.errors)} of {total} sequences on the first page could not be read: seqedit leaves them "
            "out of the tree (see the shape report for their types)",
        )
    elif not page.items:
        report.add("sequences", WARN, "the account has no sequences: nothing else could be checked")
    else:
        report.add("sequences", PASS, f"{total} sequences on the first page, all read")
    return list(page.items)


@dataclass
class _Walk:
    steps_read: int = 0
    steps_dropped: int = 0
    variants_listed: int = 0
    variants_dropped: int = 0
    reads: int = 0
    fresh_dropped: int = 0
    disagreements: list[str] = field(default_factory=list)
    only_listing: set[str] = field(default_factory=set)
    only_fresh: set[str] = field(default_factory=set)
    never_shown: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)


async def _walk(client: Any, report: Diagnosis, sequences: list[Sequence], steps: int) -> None:
    walk = _Walk()
    for s_index, sequence in enumerate(sequences, 1):
        ids = {"sequenceId": sequence.id}
        try:
            report.shapes.add(f"GET {STEPS}", await client.read_raw(STEPS, ids))
            listing = await client.list_steps(sequence.id)
        except ApiError as exc:
            walk.failures.append(f"{READ_STEPS} for {_where(s_index)}: {_failure(exc)}")
            continue
        walk.steps_read += len(listing.items)
        walk.steps_dropped += len(listing.errors)
        for t_index, step in enumerate(listing.items[:steps], 1):
            await _compare_reads(client, report, walk, sequence.id, step, (s_index, t_index))
    if walk.failures:
        report.add("steps", FAIL, "; ".join(walk.failures))
    elif walk.steps_dropped or walk.variants_dropped:
        report.add(
            "steps",
            FAIL,
            f"{READ_STEPS}: {walk.steps_dropped} steps and {walk.variants_dropped} variants could not be read "
            "(seqedit shows them as load errors)",
        )
    elif not walk.steps_read:
        report.add("steps", WARN, f"{READ_STEPS}: the sampled sequences have no steps")
    else:
        report.add("steps", PASS, f"{READ_STEPS}: {walk.steps_read} steps, {walk.variants_listed} variants, all read")
    if walk.fresh_dropped:
        report.add("variants", FAIL, f"{READ_STEP}: {walk.fresh_dropped} variants could not be read")
    elif walk.reads:
        report.add("variants", PASS, f"{READ_STEP}: {walk.reads} steps read, every variant readable")
    else:
        report.add("variants", WARN, f"{READ_STEP}: no step to read")
    if walk.disagreements:
        report.add(
            "variant-reads-agree",
            FAIL,
            "the two variant reads disagree, so seqedit would see a change nobody made and refuse to save: "
            + "; ".join(walk.disagreements[:8]),
        )
    elif walk.reads:
        report.add("variant-reads-agree", PASS, f"{READ_STEPS} and {READ_STEP} agree on every field both return")
    else:
        report.add("variant-reads-agree", WARN, "no variant to compare")
    notes = []
    if walk.only_listing:
        notes.append(f"only {READ_STEPS} returns {_names(walk.only_listing)}")
    if walk.only_fresh:
        notes.append(f"only {READ_STEP} returns {_names(walk.only_fresh)}")
    if walk.never_shown:
        report.add(
            "variant-fields",
            WARN,
            f"neither read returns {_names(walk.never_shown)}: seqedit treats them as unknown and sends them only "
            "when you change them (an attachment change then replaces the whole list)"
            + (f"; {'; '.join(notes)}" if notes else ""),
        )
    else:
        detail = "; ".join(notes) + " (seqedit never compares a field one read leaves out)" if notes else ""
        report.add("variant-fields", PASS, detail or "both reads return the same fields")


async def _compare_reads(
    client: Any, report: Diagnosis, walk: _Walk, sequence_id: str, step: Step, where: tuple[int, int]
) -> None:
    walk.variants_listed += len(step.variants)
    walk.variants_dropped += len(step.load_errors)
    ids = {"sequenceId": sequence_id, "stepId": step.id}
    try:
        report.shapes.add(f"GET {STEP}", await client.read_raw(STEP, ids))
        fresh = await client.list_variants(sequence_id, step.id)
    except ApiError as exc:
        walk.failures.append(f"{READ_STEP} for {_where(*where)}: {_failure(exc)}")
        return
    walk.reads += 1
    walk.fresh_dropped += len(fresh.errors)
    fresh_by_id = {variant.id: variant for variant in fresh.items}
    listed_ids = {variant.id for variant in step.variants}
    if set(fresh_by_id) != listed_ids:
        walk.disagreements.append(
            f"{_where(*where)}: {READ_STEPS} lists {len(listed_ids)} variants, {READ_STEP} "
            f"{len(fresh_by_id)}, not the same ones"
        )
    for v_index, listed in enumerate(step.variants):
        one = fresh_by_id.get(listed.id)
        if one is None:
            continue
        # As the save does (tui.session.save_flow): each read's unknown fields from the other.
        changes = diff_variants(fill_unknown(listed, one), fill_unknown(one, listed))
        if changes:
            fields = _names(_field_name(change.path) for change in changes)
            walk.disagreements.append(f"{_where(*where, v_index)}: {fields} differ")
        seen_listed, seen_one = known_fields(listed), known_fields(one)
        walk.only_listing |= {name for name in seen_listed - seen_one if name in EDITABLE_FIELDS}
        walk.only_fresh |= {name for name in seen_one - seen_listed if name in EDITABLE_FIELDS}
        step_knows = {name for name in ("absoluteDays", "priority", "assigneeId") if name in step.model_fields_set}
        walk.never_shown |= {
            name
            for name in EDITABLE_FIELDS
            if name not in seen_listed | seen_one | step_knows and _applies(listed, name)
        }


async def _reference_reads(client: Any, report: Diagnosis) -> None:
    for name, template, params, method in (
        ("fields", FIELDS, {"systemFields": "true"}, "list_fields"),
        ("assignees", ASSIGNEES, None, "list_assignees"),
    ):
        try:
            raw = await client.read_raw(template, params=params)
            parsed = await getattr(client, method)()
        except ApiError as exc:
            report.add(name, FAIL, f"GET {template}: {_failure(exc)}")
            continue
        report.shapes.add(f"GET {template}", raw)
        total = _count(raw)
        if total is not None and len(parsed) < total:
            report.add(name, FAIL, f"GET {template}: {total - len(parsed)} of {total} items could not be read")
        else:
            report.add(name, PASS, f"GET {template}: {len(parsed)} items read")


def _count(raw: Any) -> int | None:
    if isinstance(raw, list):
        return len(raw)
    if isinstance(raw, dict):
        for key in ("items", "data", "fields", "teams", "emailAccounts"):
            if isinstance(raw.get(key), list):
                return len(raw[key])
    return None


async def _senders(client: Any, report: Diagnosis, sequences: list[Sequence]) -> None:
    """The senders a test email may use (``GET …/email-accounts``), for the sampled sequences."""
    read = dropped = 0
    for index, sequence in enumerate(sequences, 1):
        try:
            raw = await client.read_raw(SENDERS, {"sequenceId": sequence.id})
            parsed = await client.list_email_accounts(sequence.id)
        except NotFoundError as exc:
            report.add(
                "email-accounts",
                WARN,
                f"GET …/email-accounts is {_failure(exc)}: a test email cannot offer a sender (editing and "
                "saving do not need it)",
            )
            return
        except ApiError as exc:
            report.add("email-accounts", FAIL, f"GET …/email-accounts for {_where(index)}: {_failure(exc)}")
            return
        report.shapes.add(f"GET {SENDERS}", raw)
        total = _count(raw)
        read += len(parsed)
        dropped += max(0, (total or 0) - len(parsed))
    if dropped:
        report.add("email-accounts", FAIL, f"GET …/email-accounts: {dropped} senders could not be read")
    elif sequences:
        report.add("email-accounts", PASS, f"GET …/email-accounts: {read} senders of {len(sequences)} sequences read")
    else:
        report.add("email-accounts", WARN, "GET …/email-accounts: no sequence to ask")


async def _error_shapes(client: Any, wrong_key_client: Any, report: Diagnosis) -> None:
    try:
        await wrong_key_client.read_raw(SEQUENCES, params={"page": 1, "pageSize": 1})
    except AuthError as exc:
        report.add("bad-key", PASS, f"a wrong key is {_failure(exc)}: seqedit says to check the key")
        report.shapes.note(f"GET {SEQUENCES} with a wrong key", _failure(exc))
    except ApiError as exc:
        report.add(
            "bad-key", FAIL, f"a wrong key came back as {_failure(exc)}: seqedit would not say the key is the problem"
        )
        report.shapes.note(f"GET {SEQUENCES} with a wrong key", _failure(exc))
    else:
        report.add("bad-key", FAIL, "the server answered a wrong key with data")
    for name, template, ids, what in (
        ("missing-sequence", STEPS, {"sequenceId": MISSING_ID}, "a missing sequence"),
        ("unknown-path", UNKNOWN_PATH, None, "an unknown path"),
    ):
        try:
            await client.read_raw(template, ids)
        except NotFoundError as exc:
            report.add(name, PASS, f"{what} is {_failure(exc)}")
            report.shapes.note(f"GET {template} ({what})", _failure(exc))
        except ApiError as exc:
            report.add(name, WARN, f"{what} is {_failure(exc)}, not 404: seqedit shows the server's message")
            report.shapes.note(f"GET {template} ({what})", _failure(exc))
        else:
            report.add(name, WARN, f"{what} was answered with success, not 404")
