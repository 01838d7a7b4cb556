"""Pydantic models of the Saleshandy API, tolerant on input and exact on output.

Attribute names are the wire names (``taskNote``, ``absoluteDays``) so that a field-by-field diff
and the PATCH body speak the same language as the API reference. Models keep unknown keys
(``extra="allow"``) so that whatever the server returns is sent back unchanged.
"""

from __future__ import annotations

import copy
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from .channels import (
    ABSOLUTE_DAYS_RANGE,
    TASK_NOTE_LIMIT,
    Channel,
    Priority,
    Status,
    UnknownChannel,
    encode_priority,
    parse_channel_kept,
    priority_encoding,
    text_key_of,
)

ChannelField = Annotated[
    Channel,
    BeforeValidator(Channel.parse),
    PlainSerializer(lambda channel: channel.value, return_type=str),
]
# A channel read from the server: an unknown code or name is kept (and sent back as it came).
KeptChannelField = Annotated[
    Channel | UnknownChannel,
    BeforeValidator(parse_channel_kept),
    PlainSerializer(lambda channel: channel.value),
]
# A day the PATCH and the POST take: the one range, :data:`ABSOLUTE_DAYS_RANGE`.
DayField = Annotated[int, Field(ge=ABSOLUTE_DAYS_RANGE[0], le=ABSOLUTE_DAYS_RANGE[1])]
PriorityField = Annotated[
    Priority,
    BeforeValidator(Priority.parse),
    PlainSerializer(lambda priority: priority.value, return_type=str),
]


def _none_to(default: Any):
    return BeforeValidator(lambda value: default() if value is None else value)


def _to_loose_id(value: Any) -> Any:
    # The vendor's own examples carry numbers where our contract has hashid strings
    # ("user": {"id": 1}): every id is held as a string, whatever its JSON type.
    if isinstance(value, bool):
        raise ValueError("an id must be text or a number, not true/false")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _to_path_id(value: Any) -> Any:
    value = _to_loose_id(value)
    # These ids become URL path segments: '.' or '..' would walk the path (issue 18).
    if isinstance(value, str) and value.strip() in ("", ".", ".."):
        raise ValueError("not a usable id (empty, '.' or '..')")
    return value


def _to_optional_id(value: Any) -> Any:
    return None if value is None or value == "" else _to_loose_id(value)


# An id that goes into a URL (sequence, step, variant); any other id (user, client, team,
# assignee, field, attachment) only needs to be text.
PathId = Annotated[str, BeforeValidator(_to_path_id)]
LooseId = Annotated[str, BeforeValidator(_to_loose_id)]
OptionalId = Annotated[str | None, BeforeValidator(_to_optional_id)]


def _is_int_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip().isdigit()


def _to_text(value: Any) -> Any:
    """Display text the server may send as null, a number or an empty object: text, or ''."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, str) else ""


TextField = Annotated[str, BeforeValidator(_to_text)]
OptionalText = Annotated[str | None, BeforeValidator(lambda v: v if v is None or isinstance(v, str) else _to_text(v))]


def _to_ref(value: Any) -> Any:
    """``client``/``user`` as null, ``{}`` or a non-object mean "none"."""
    if not isinstance(value, dict) or not any(v not in (None, "") for v in value.values()):
        return None
    return value


def _to_status(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return value


def _to_kept_priority(value: Any) -> Any:
    """A known priority as :class:`Priority`; an unknown one kept as the server sent it."""
    if value in (None, "", 0) or isinstance(value, bool):
        return None
    try:
        return Priority.parse(value)
    except ValueError:
        return value


# Status 0/1 as the contract says; anything else the server sends is kept, shown, and blocks a
# save (api.status) instead of dropping the variant.
KeptStatus = Annotated[int | str | None, BeforeValidator(_to_status)]
KeptPriority = Annotated[Priority | int | str | None, BeforeValidator(_to_kept_priority)]


class ApiModel(BaseModel):
    """Base of every model read from the API: keeps unknown keys, accepts wire names."""

    # Schemas are built on first use, not at import: seqedit starts before most models are
    # needed (benchmarks: startup), and the listing needs only Sequence and its parts.
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    def extras(self) -> dict[str, Any]:
        """Keys the server sent that this model has no field for."""
        return dict(self.__pydantic_extra__ or {})


class Attachment(ApiModel):
    id: LooseId
    name: TextField = ""
    size: Annotated[int | None, BeforeValidator(lambda v: v if isinstance(v, int) or _is_int_text(v) else None)] = None
    contentType: OptionalText = None


class AssigneeUser(ApiModel):
    id: LooseId
    userName: TextField = ""
    email: TextField = ""


class AssigneeTeam(ApiModel):
    id: OptionalId = None
    teamName: TextField = ""
    users: Annotated[list[AssigneeUser], _none_to(list)] = Field(default_factory=list)


class ProspectField(ApiModel):
    """A prospect field: its label, in double braces, is a merge tag."""

    id: LooseId
    label: TextField
    fieldType: OptionalText = None
    fallbackText: OptionalText = None


class Prospect(ApiModel):
    """A sample prospect (sandbox only): field label → value, used to fill the preview."""

    id: LooseId
    name: TextField = ""
    fields: Annotated[dict[str, str], _none_to(dict)] = Field(default_factory=dict)


class EmailAccount(ApiModel):
    """A sending account connected to a sequence (``GET /v1/sequences/{id}/email-accounts``).

    The shape is not documented: ``fromEmail``/``fromName`` as the sandbox serves them, and
    ``email``/``name`` as other readers may; :attr:`address` and :attr:`display` take either.
    """

    id: LooseId
    fromEmail: OptionalText = None
    fromName: OptionalText = None
    email: OptionalText = None
    name: OptionalText = None

    @property
    def address(self) -> str:
        return self.fromEmail or self.email or ""

    @property
    def display(self) -> str:
        who = self.fromName or self.name or ""
        return f"{who} <{self.address}>" if who and self.address else (self.address or who or self.id)


class ClientRef(ApiModel):
    id: OptionalId = None
    companyName: OptionalText = None
    firstName: OptionalText = None
    lastName: OptionalText = None

    @property
    def display(self) -> str:
        if self.companyName:
            return self.companyName
        return " ".join(part for part in (self.firstName, self.lastName) if part)


class UserRef(ApiModel):
    id: OptionalId = None
    firstName: OptionalText = None
    lastName: OptionalText = None
    email: OptionalText = None


class StepRef(ApiModel):
    id: PathId
    name: TextField = ""


class Sequence(ApiModel):
    id: PathId
    title: TextField = ""
    active: bool = False
    steps: Annotated[list[StepRef], _none_to(list)] = Field(default_factory=list)
    client: Annotated[ClientRef | None, BeforeValidator(_to_ref)] = None
    user: Annotated[UserRef | None, BeforeValidator(_to_ref)] = None

    @field_validator("active", mode="before")
    @classmethod
    def _active(cls, value: Any) -> Any:
        # Only a display mark: an odd value must not cost the sequence its place in the tree.
        if isinstance(value, (bool, int)):
            return bool(value)
        return isinstance(value, str) and value.strip().lower() in ("true", "1", "active", "yes")

    @field_validator("steps", mode="before")
    @classmethod
    def _readable_steps(cls, value: Any) -> Any:
        # A step reference without a usable id cannot be opened; the steps themselves come
        # from GET …/steps, so one odd reference must not drop the whole sequence.
        if not isinstance(value, list):
            return value
        kept = []
        for item in value:
            try:
                kept.append(StepRef.model_validate(item))
            except ValidationError:
                continue
        return kept


class Variant(ApiModel):
    """One variant (A, B, …) of a step. Its letter is its position in the step, not a field.

    Which fields the server actually returned is ``model_fields_set`` (see :func:`known_fields`):
    the two read endpoints return different sets, and a field a read did not return is
    unknown, not empty. ``status``, ``type`` and ``priority`` values seqedit does not know are
    kept as sent; the rules refuse to save them. The priority is written back the way the
    server wrote it (:func:`tui.api.channels.encode_priority`).
    """

    id: PathId
    type: KeptChannelField
    payload: Annotated[dict[str, Any], _none_to(dict)] = Field(default_factory=dict)
    status: KeptStatus = 1
    taskNote: OptionalText = None
    attachmentIds: Annotated[list[LooseId], _none_to(list)] = Field(default_factory=list)
    priority: KeptPriority = None
    assigneeId: OptionalId = None
    absoluteDays: int | None = None
    # Not in the contract, but served by the sandbox so the form can show names and sizes.
    attachments: Annotated[list[Attachment], _none_to(list)] = Field(default_factory=list)

    _priority_encoding: str | None = PrivateAttr(default=None)

    @field_validator("attachments", mode="before")
    @classmethod
    def _readable_attachments(cls, value: Any) -> Any:
        # Names and sizes for the form only (attachmentIds is what is sent): an odd entry is
        # left out rather than costing the whole variant.
        if not isinstance(value, list):
            return value
        kept = []
        for item in value:
            try:
                kept.append(Attachment.model_validate(item))
            except ValidationError:
                continue
        return kept

    @model_validator(mode="wrap")
    @classmethod
    def _remember_encoding(cls, data: Any, handler: Any) -> Any:
        model = handler(data)
        if isinstance(data, dict) and isinstance(model, Variant):
            model._priority_encoding = priority_encoding(data.get("priority"))
        return model

    @field_validator("payload", mode="before")
    @classmethod
    def _unwrap_payload(cls, value: Any) -> Any:
        # Seen in the vendor's material: a payload wrapped once more ({"payload": {...}}).
        while isinstance(value, dict) and set(value) == {"payload"} and isinstance(value["payload"], dict):
            value = value["payload"]
        return value

    @field_serializer("priority")
    def _priority_as_read(self, priority: Any) -> Any:
        return encode_priority(priority, self._priority_encoding) if isinstance(priority, Priority) else priority

    @property
    def priority_encoding(self) -> str | None:
        """How the server wrote this variant's priority ("number", "string", "name"), if it did."""
        return self._priority_encoding

    @property
    def status_known(self) -> bool:
        return not isinstance(self.status, bool) and self.status in (Status.PAUSED, Status.ACTIVE)

    @property
    def priority_known(self) -> bool:
        return self.priority is None or isinstance(self.priority, Priority)

    @property
    def active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def headline(self) -> str:
        """The first line of the subject or message: what the tree shows for a variant."""
        text = text_key_of(self.type, self.payload)
        # An email's text is HTML, no headline: its subject heads it.
        keys = ("subject", "title") if text in (None, Channel.EMAIL.info.text_key) else ("subject", text, "title")
        for key in keys:
            value = self.payload.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip().splitlines()[0]
        return (self.taskNote or "").strip().splitlines()[0] if (self.taskNote or "").strip() else ""


class Step(ApiModel):
    id: PathId
    name: TextField = ""
    number: int | None = None
    type: KeptChannelField
    absoluteDays: int | None = None
    priority: KeptPriority = None
    assigneeId: OptionalId = None
    variants: list[Variant] = Field(default_factory=list)
    # Variants the server sent that could not be read (an unknown channel code, say): one
    # clear line each, so one bad item does not hide the rest of the step.
    load_errors: list[str] = Field(default_factory=list, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _lenient_variants(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        raw = data.get("variants") or []
        if not isinstance(raw, list):
            raw = []
        # A variant with no type of its own belongs to the step's channel.
        step_type = data.get("type")
        raw = [
            {**item, "type": step_type} if isinstance(item, dict) and item.get("type") is None else item for item in raw
        ]
        parsed = parse_items(Variant, raw)
        data["variants"] = parsed.items
        data["load_errors"] = list(data.get("load_errors") or []) + parsed.errors
        return data


M = TypeVar("M", bound=BaseModel)


def step_day(step: Step | None) -> int | None:
    """The step's day: its own ``absoluteDays``, else the first variant's that has one."""
    if step is None:
        return None
    if _is_day(step.absoluteDays):
        return step.absoluteDays
    for variant in step.variants:
        if _is_day(variant.absoluteDays):
            return variant.absoluteDays
    return None


def effective_day(own: Any, step_day: int | None) -> int | None:
    """The day a variant is on: its own ``absoluteDays`` when it has one, else its step's
    (:func:`step_day`). The one place of that fallback: the form shows this day, an edit that
    types it is no edit (:meth:`Workspace.day_of`), and the rules check it (``api.days-*``)."""
    return own if _is_day(own) else step_day


def _is_day(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Parsed(BaseModel):
    """Items that parsed, and one message for each that did not.

    ``rejected`` has, for each item that did not parse, its id and title as plain text ('' when
    it had none) and the reason: a caller that lists what it could not check names them so.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    items: list[Any]
    errors: list[str]
    rejected: list[tuple[str, str, str]] = Field(default_factory=list)


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming each bad field, without echoing the (untrusted) input values."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in error["loc"]) or "item"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def parse_items(model: type[M], raw: Any) -> Parsed:
    """Parse each item on its own: one broken item gives one error, not a failed listing."""
    from tui.text.safe_text import one_line

    items: list[M] = []
    errors: list[str] = []
    rejected: list[tuple[str, str, str]] = []
    if not isinstance(raw, list):
        return Parsed(items=[], errors=[f"expected a list of {model.__name__}, got {type(raw).__name__}"])
    for index, item in enumerate(raw):
        if isinstance(item, model):
            items.append(item)
            continue
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str):
            ident = one_line(ident, 40)
        title = item.get("title") if isinstance(item, dict) else None
        title = one_line(title, 60) if isinstance(title, str) else ""
        try:
            items.append(model.model_validate(item))
            continue
        except ValidationError as exc:
            label = f"{model.__name__} {ident!s}" if ident else f"{model.__name__} #{index + 1}"
            why = describe_validation_error(exc)
        except ValueError as exc:  # an unknown channel raised outside pydantic's wrapping
            label, why = f"{model.__name__} #{index + 1}", str(exc)
        errors.append(f"{label}: {why}")
        rejected.append(("" if ident is None else str(ident), title, why))
    return Parsed(items=items, errors=errors, rejected=rejected)


class VariantUpdate(BaseModel):
    """The PATCH body of the seed. Only the fields that were set are serialised."""

    # Built on first use, as ApiModel's: the first save is long after the first frame.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    status: Literal[0, 1] | None = None
    taskNote: Annotated[str, Field(max_length=TASK_NOTE_LIMIT)] | None = None
    payload: dict[str, Any] | None = None
    absoluteDays: DayField | None = None
    attachmentIds: list[str] | None = None
    type: ChannelField | None = None
    assigneeId: str | None = None
    priority: PriorityField | None = None

    # How the server wrote this variant's priority (None: never seen, send the name).
    _priority_encoding: str | None = PrivateAttr(default=None)

    @field_serializer("priority")
    def _priority_as_server(self, priority: Priority | None) -> Any:
        return None if priority is None else encode_priority(priority, self._priority_encoding)

    def body(self) -> dict[str, Any]:
        """The JSON body to send: the fields that were set, names for enums (the priority as
        the server wrote it for this variant)."""
        return self.model_dump(mode="json", exclude_unset=True)

    @property
    def empty(self) -> bool:
        return not self.model_fields_set


EDITABLE_FIELDS = ("status", "taskNote", "payload", "absoluteDays", "attachmentIds", "assigneeId", "priority")


_NOT_CLEARABLE = frozenset({"status", "absoluteDays", "assigneeId", "priority"})


def known_fields(variant: Variant) -> frozenset[str]:
    """The fields the server returned for ``variant`` (and any a person has edited since).

    A field outside this set was not in the answer it was read from: it holds a default that
    means "unknown", not "empty", so it is never compared with another read and never sent
    unless a person changed it (see :func:`fill_unknown` and :func:`build_update`).
    """
    return frozenset(variant.model_fields_set)


_FILLABLE = (*EDITABLE_FIELDS, "attachments")


def fill_unknown(variant: Variant, source: Variant) -> Variant:
    """``variant`` with every field it does not know taken from ``source``, where ``source`` knows it.

    Where two reads meet: the pre-save re-read (``GET …/steps/{stepId}``, whose documented
    fields are only id, type, payload, status, stepStatus, taskNote, executionType) and the copy
    an edit started from (``GET …/steps``, which may carry priority, attachmentIds, …). A field
    the re-read did not return is as the fuller read saw it; it never looks like a change.
    """
    known = variant.model_fields_set
    missing = [name for name in _FILLABLE if name not in known and name in source.model_fields_set]
    if not missing:
        return variant
    filled = variant.model_copy(update={name: copy.deepcopy(getattr(source, name)) for name in missing})
    if "priority" in missing:
        filled._priority_encoding = source._priority_encoding
    return filled


def attachments_unknown(server: Variant, edited: Variant) -> bool:
    """Whether saving ``edited`` sends an ``attachmentIds`` list although the server never
    showed the current one: the PATCH replaces the whole list, so attachments the variant has
    now but were never shown would be removed."""
    return "attachmentIds" not in server.model_fields_set and edited.attachmentIds != server.attachmentIds


def changed_fields(original: Variant, edited: Variant) -> list[str]:
    """The PATCH fields that differ, in PATCH order, without building (or validating) a body.

    The one definition of "what changed": :func:`build_update`, the workspace's dirty marks,
    the save flow and validation's ``kept_from_server`` all ask here.
    """
    changed = []
    for name in EDITABLE_FIELDS:
        before, after = getattr(original, name), getattr(edited, name)
        # The API has no way to clear these; a None in the form means "leave as is".
        if after is None and name in _NOT_CLEARABLE:
            continue
        if before != after:
            changed.append(name)
    return changed


def empty_text(value: Any) -> bool:
    """Whether ``value`` is what an empty text field shows: null or "" (a payload key the
    server did not send is read as None). A field emptied to "" where the server has such an
    emptiness is the server's own state again, not a change (see ``Workspace.edit``)."""
    return value is None or value == ""


def unchanged_fields(server: Variant, edited: Variant) -> frozenset[str]:
    """The PATCH fields ``edited`` still holds as ``server`` has them: a save does not send them."""
    return frozenset(EDITABLE_FIELDS).difference(changed_fields(server, edited))


def build_update(original: Variant, edited: Variant) -> VariantUpdate:
    """What to send to turn the server's ``original`` into ``edited``: changed fields only.

    The payload goes whole when any key of it changed (the API replaces it), keeping keys the
    form does not know; ``attachmentIds`` likewise replaces the whole list. A field ``original``
    does not know holds its "unknown" default, so it is sent only when the person set a value.
    The priority is written as the server wrote it (number, numeric string or name).
    """
    changes: dict[str, Any] = {name: getattr(edited, name) for name in changed_fields(original, edited)}
    if "taskNote" in changes and changes["taskNote"] is None:
        changes["taskNote"] = ""
    update = VariantUpdate(**changes)
    update._priority_encoding = original.priority_encoding or edited.priority_encoding
    return update


class AddVariant(BaseModel):
    """The POST body that adds a variant to a step."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    type: ChannelField
    payload: dict[str, Any]
    taskNote: Annotated[str, Field(max_length=TASK_NOTE_LIMIT)] | None = None
    attachmentIds: list[str] | None = None
    absoluteDays: DayField | None = None
    priority: PriorityField | None = None
    assigneeId: str | None = None
    # Not in the POST's documented fields: sent only to add a variant paused (``status: 0``)
    # on a channel that holds one active variant; the sandbox takes it as the PATCH does.
    status: Literal[0] | None = None

    def body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class TestEmail(BaseModel):
    """The body of ``POST /v1/sequences/{sequenceId}/test-email``: what the person would receive."""

    __test__ = False  # not a pytest class, whatever its name says
    model_config = ConfigDict(extra="forbid", defer_build=True)

    fromEmailAccountId: str
    to: list[str]
    subject: str
    content: str
    preheader: str | None = None

    def body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)
