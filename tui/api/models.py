"""Pydantic models of the Saleshandy API, tolerant on input and exact on output.

Attribute names are the wire names (``taskNote``, ``absoluteDays``) so that a field-by-field diff
and the PATCH body speak the same language as the API reference. Models keep unknown keys
(``extra="allow"``) so that whatever the server returns is sent back unchanged.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
    model_validator,
)

from .channels import TASK_NOTE_LIMIT, Channel, Priority, Status

ChannelField = Annotated[
    Channel,
    BeforeValidator(Channel.parse),
    PlainSerializer(lambda channel: channel.value, return_type=str),
]
PriorityField = Annotated[
    Priority,
    BeforeValidator(Priority.parse),
    PlainSerializer(lambda priority: priority.value, return_type=str),
]


def _none_to(default: Any):
    return BeforeValidator(lambda value: default() if value is None else value)


def _to_status(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.strip() in {"0", "1"}:
        return int(value)
    return value


def _to_optional_priority(value: Any) -> Any:
    return None if value in (None, "", 0) else Priority.parse(value)


class ApiModel(BaseModel):
    """Base of every model read from the API: keeps unknown keys, accepts wire names."""

    # Schemas are built on first use, not at import: seqedit starts before most models are
    # needed (benchmarks: startup), and the listing needs only Sequence and its parts.
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    def extras(self) -> dict[str, Any]:
        """Keys the server sent that this model has no field for."""
        return dict(self.__pydantic_extra__ or {})


class Attachment(ApiModel):
    id: str
    name: str = ""
    size: int | None = None
    contentType: str | None = None


class AssigneeUser(ApiModel):
    id: str
    userName: str = ""
    email: str = ""


class AssigneeTeam(ApiModel):
    id: str | None = None
    teamName: str = ""
    users: Annotated[list[AssigneeUser], _none_to(list)] = Field(default_factory=list)


class ProspectField(ApiModel):
    """A prospect field: its label, in double braces, is a merge tag."""

    id: str
    label: str
    fieldType: str | None = None
    fallbackText: str | None = None


class Prospect(ApiModel):
    """A sample prospect (sandbox only): field label → value, used to fill the preview."""

    id: str
    name: str = ""
    fields: Annotated[dict[str, str], _none_to(dict)] = Field(default_factory=dict)


class ClientRef(ApiModel):
    id: str
    companyName: str | None = None
    firstName: str | None = None
    lastName: str | None = None

    @property
    def display(self) -> str:
        if self.companyName:
            return self.companyName
        return " ".join(part for part in (self.firstName, self.lastName) if part)


class UserRef(ApiModel):
    id: str
    firstName: str | None = None
    lastName: str | None = None
    email: str | None = None


class StepRef(ApiModel):
    id: str
    name: str = ""


class Sequence(ApiModel):
    id: str
    title: str = ""
    active: bool = False
    steps: Annotated[list[StepRef], _none_to(list)] = Field(default_factory=list)
    client: ClientRef | None = None
    user: UserRef | None = None

    @field_validator("active", mode="before")
    @classmethod
    def _active(cls, value: Any) -> Any:
        return False if value is None else value


class Variant(ApiModel):
    """One variant (A, B, …) of a step. Its letter is its position in the step, not a field."""

    id: str
    type: ChannelField
    payload: Annotated[dict[str, Any], _none_to(dict)] = Field(default_factory=dict)
    status: Annotated[Literal[0, 1], BeforeValidator(_to_status)] = 1
    taskNote: str | None = None
    attachmentIds: Annotated[list[str], _none_to(list)] = Field(default_factory=list)
    priority: Annotated[PriorityField | None, BeforeValidator(_to_optional_priority)] = None
    assigneeId: str | None = None
    absoluteDays: int | None = None
    # Not in the contract, but served by the sandbox so the form can show names and sizes.
    attachments: Annotated[list[Attachment], _none_to(list)] = Field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def headline(self) -> str:
        """The first line of the subject or message: what the tree shows for a variant."""
        for key in ("subject", "connectionNote", "message", "title"):
            value = self.payload.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip().splitlines()[0]
        return (self.taskNote or "").strip().splitlines()[0] if (self.taskNote or "").strip() else ""


class Step(ApiModel):
    id: str
    name: str = ""
    number: int | None = None
    type: ChannelField
    absoluteDays: int | None = None
    priority: Annotated[PriorityField | None, BeforeValidator(_to_optional_priority)] = None
    assigneeId: str | None = None
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


class Parsed(BaseModel):
    """Items that parsed, and one message for each that did not."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    items: list[Any]
    errors: list[str]


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming each bad field, without echoing the (untrusted) input values."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in error["loc"]) or "item"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def parse_items(model: type[M], raw: Any) -> Parsed:
    """Parse each item on its own: one broken item gives one error, not a failed listing."""
    items: list[M] = []
    errors: list[str] = []
    if not isinstance(raw, list):
        return Parsed(items=[], errors=[f"expected a list of {model.__name__}, got {type(raw).__name__}"])
    for index, item in enumerate(raw):
        if isinstance(item, model):
            items.append(item)
            continue
        ident = item.get("id") if isinstance(item, dict) else None
        try:
            items.append(model.model_validate(item))
        except ValidationError as exc:
            label = f"{model.__name__} {ident!s}" if ident else f"{model.__name__} #{index + 1}"
            errors.append(f"{label}: {describe_validation_error(exc)}")
        except ValueError as exc:  # an unknown channel raised outside pydantic's wrapping
            errors.append(f"{model.__name__} #{index + 1}: {exc}")
    return Parsed(items=items, errors=errors)


class VariantUpdate(BaseModel):
    """The PATCH body of the seed. Only the fields that were set are serialised."""

    # Built on first use, as ApiModel's: the first save is long after the first frame.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    status: Literal[0, 1] | None = None
    taskNote: Annotated[str, Field(max_length=TASK_NOTE_LIMIT)] | None = None
    payload: dict[str, Any] | None = None
    absoluteDays: Annotated[int, Field(ge=1, le=999)] | None = None
    attachmentIds: list[str] | None = None
    type: ChannelField | None = None
    assigneeId: str | None = None
    priority: PriorityField | None = None

    def body(self) -> dict[str, Any]:
        """The JSON body to send: the fields that were set, names for enums."""
        return self.model_dump(mode="json", exclude_unset=True)

    @property
    def empty(self) -> bool:
        return not self.model_fields_set


EDITABLE_FIELDS = ("status", "taskNote", "payload", "absoluteDays", "attachmentIds", "assigneeId", "priority")


_NOT_CLEARABLE = frozenset({"status", "absoluteDays", "assigneeId", "priority"})


def build_update(original: Variant, edited: Variant) -> VariantUpdate:
    """What to send to turn the server's ``original`` into ``edited``: changed fields only.

    The payload goes whole when any key of it changed (the API replaces it), keeping keys the
    form does not know; ``attachmentIds`` likewise replaces the whole list.
    """
    changes: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        before, after = getattr(original, name), getattr(edited, name)
        # The API has no way to clear these; a None in the form means "leave as is".
        if after is None and name in _NOT_CLEARABLE:
            continue
        if before != after:
            changes[name] = after
    if "taskNote" in changes and changes["taskNote"] is None:
        changes["taskNote"] = ""
    return VariantUpdate(**changes)


class AddVariant(BaseModel):
    """The POST body that adds a variant to a step."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    type: ChannelField
    payload: dict[str, Any]
    taskNote: Annotated[str, Field(max_length=TASK_NOTE_LIMIT)] | None = None
    attachmentIds: list[str] | None = None
    absoluteDays: Annotated[int, Field(ge=1, le=999)] | None = None
    priority: PriorityField | None = None
    assigneeId: str | None = None

    def body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)
