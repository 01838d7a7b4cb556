"""The 15 step channels of a Saleshandy sequence and the facts the API enforces for each.

The wire name is what the PATCH body's ``type`` carries; the code is what the API may return
instead. Code 6 keeps the vendor's misspelling (``LinkedInPostInteration``) on the wire.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


class UnknownChannelError(ValueError):
    """A channel code or name that no known channel has."""


class Channel(enum.Enum):
    """A step's channel. ``value`` is the wire name."""

    EMAIL = "Email"
    LINKEDIN_CONNECTION_REQUEST = "LinkedInConnectionRequest"
    LINKEDIN_MESSAGE = "LinkedInMessage"
    LINKEDIN_INMAIL = "LinkedInInMail"
    LINKEDIN_VIEW_PROFILE = "LinkedInViewProfile"
    LINKEDIN_POST_INTERACTION = "LinkedInPostInteration"  # sic: the wire name is misspelt
    CUSTOM = "Custom"
    CALL_INTRODUCTION = "CallIntroduction"
    CALL_DEMO = "CallDemo"
    CALL_FOLLOW_UP = "CallFollowUp"
    CALL_REMINDER = "CallReminder"
    CALL_OTHER = "CallOther"
    WHATSAPP_MESSAGE = "WhatsappMessage"
    WHATSAPP_VOICE_MESSAGE = "WhatsappVoiceMessage"
    WHATSAPP_VOICE_CALL = "WhatsappVoiceCall"

    @property
    def wire(self) -> str:
        return self.value

    @property
    def info(self) -> ChannelInfo:
        return CHANNEL_INFO[self]

    @property
    def code(self) -> int:
        return self.info.code

    @property
    def label(self) -> str:
        return self.info.label

    @property
    def family(self) -> str:
        return self.info.family

    @classmethod
    def parse(cls, raw: object) -> Channel:
        """Accept a code (int or numeric string), a wire name, or a Channel; raise otherwise."""
        if isinstance(raw, Channel):
            return raw
        if isinstance(raw, bool):
            raise UnknownChannelError(f"unknown channel {raw!r}")
        if isinstance(raw, int):
            found = _BY_CODE.get(raw)
        elif isinstance(raw, str):
            text = raw.strip()
            found = _BY_CODE.get(int(text)) if text.isdigit() else _BY_NAME.get(text.lower())
        else:
            found = None
        if found is None:
            raise UnknownChannelError(f"unknown channel {raw!r}")
        return found


@dataclass(frozen=True)
class ChannelInfo:
    """What the API allows on a channel's variants.

    ``payload_keys`` are the keys the form edits; ``tolerated_keys`` are keys some accounts
    return (Call with ``connectionNote``, WhatsApp with ``message``, Custom with ``title`` and
    ``action``): they are kept and sent back, never reported as foreign.
    ``limits`` are hard maxima (the API rejects more); ``soft_limits`` warn.
    ``max_variants`` is how many variants a step may hold at all (Email: A to Z) and
    ``max_active`` how many of them may be active at once (other channels: one).
    ``text_key`` is the payload key of the text the recipient reads (Email: the HTML body; a
    Call's ``connectionNote`` and WhatsApp's ``message`` are kept ones), or None: the preview,
    the comparison, the form's multi-line editors and the tree's headline read it here.
    """

    code: int
    label: str
    glyph: str
    family: str  # "email", "linkedin", "task", "call", "whatsapp"
    payload_keys: tuple[str, ...] = ()
    required_keys: tuple[str, ...] = ()
    tolerated_keys: tuple[str, ...] = ()
    task_note: bool = True
    attachments: bool = False
    generates_task: bool = True
    max_variants: int = 26
    max_active: int = 1
    limits: Mapping[str, int] = field(default_factory=dict)
    soft_limits: Mapping[str, int] = field(default_factory=dict)
    text_key: str | None = None

    @property
    def allowed_payload_keys(self) -> frozenset[str]:
        return frozenset(self.payload_keys) | frozenset(self.tolerated_keys)


TASK_NOTE_LIMIT = 3000
ABSOLUTE_DAYS_RANGE = (1, 999)

# Any: the shared keyword arguments of a family, spread into ChannelInfo(...) below.
_CALL: dict[str, Any] = dict(family="call", glyph="☎", tolerated_keys=("connectionNote",), text_key="connectionNote")
_WHATSAPP: dict[str, Any] = dict(
    family="whatsapp", glyph="◉", tolerated_keys=("message",), soft_limits={"message": 4096}, text_key="message"
)

CHANNEL_INFO: Mapping[Channel, ChannelInfo] = MappingProxyType(
    {
        Channel.EMAIL: ChannelInfo(
            code=1,
            label="Email",
            glyph="✉",
            family="email",
            payload_keys=("subject", "preheader", "content"),
            required_keys=("subject", "content"),
            task_note=False,
            attachments=True,
            generates_task=False,
            max_variants=26,
            max_active=26,
            text_key="content",
        ),
        Channel.LINKEDIN_CONNECTION_REQUEST: ChannelInfo(
            code=2,
            label="LinkedIn connection request",
            glyph="in",
            family="linkedin",
            payload_keys=("connectionNote",),
            required_keys=("connectionNote",),
            limits={"connectionNote": 300},
            soft_limits={"connectionNote": 200},
            text_key="connectionNote",
        ),
        Channel.LINKEDIN_MESSAGE: ChannelInfo(
            code=3,
            label="LinkedIn message",
            glyph="in",
            family="linkedin",
            payload_keys=("message",),
            required_keys=("message",),
            limits={"message": 8000},
            text_key="message",
        ),
        Channel.LINKEDIN_INMAIL: ChannelInfo(
            code=4,
            label="LinkedIn InMail",
            glyph="in",
            family="linkedin",
            payload_keys=("subject", "message"),
            required_keys=("subject", "message"),
            limits={"subject": 200, "message": 1900},
            text_key="message",
        ),
        Channel.LINKEDIN_VIEW_PROFILE: ChannelInfo(
            code=5, label="LinkedIn view profile", glyph="in", family="linkedin"
        ),
        Channel.LINKEDIN_POST_INTERACTION: ChannelInfo(
            code=6, label="LinkedIn post interaction", glyph="in", family="linkedin"
        ),
        Channel.CUSTOM: ChannelInfo(
            code=9, label="Custom task", glyph="☐", family="task", tolerated_keys=("title", "action")
        ),
        Channel.CALL_INTRODUCTION: ChannelInfo(code=11, label="Call: introduction", **_CALL),
        Channel.CALL_DEMO: ChannelInfo(code=12, label="Call: demo", **_CALL),
        Channel.CALL_FOLLOW_UP: ChannelInfo(code=13, label="Call: follow-up", **_CALL),
        Channel.CALL_REMINDER: ChannelInfo(code=14, label="Call: reminder", **_CALL),
        Channel.CALL_OTHER: ChannelInfo(code=15, label="Call: other", **_CALL),
        Channel.WHATSAPP_MESSAGE: ChannelInfo(code=16, label="WhatsApp message", **_WHATSAPP),
        Channel.WHATSAPP_VOICE_MESSAGE: ChannelInfo(code=17, label="WhatsApp voice message", **_WHATSAPP),
        Channel.WHATSAPP_VOICE_CALL: ChannelInfo(code=18, label="WhatsApp voice call", **_WHATSAPP),
    }
)

_BY_CODE = {info.code: channel for channel, info in CHANNEL_INFO.items()}
# Every channel's text key, in table order (Email's HTML body first).
TEXT_KEYS: tuple[str, ...] = tuple(dict.fromkeys(info.text_key for info in CHANNEL_INFO.values() if info.text_key))
_BY_NAME = {channel.value.lower(): channel for channel in Channel}

# What seqedit assumes about a channel it does not know: nothing it could check, so no payload
# field of its own, no task of its own; the rules refuse to save it (api.channel-unknown).
UNKNOWN_CHANNEL_INFO = ChannelInfo(code=0, label="Unknown channel", glyph="?", family="unknown", generates_task=False)


@dataclass(frozen=True)
class UnknownChannel:
    """A channel code or name the server sent that no known channel has.

    Kept as data (the variant stays in the tree, its text readable) and sent back exactly as
    it came; it only blocks a save, since nothing about what the API takes for it is known.
    Quacks like :class:`Channel` where the form, the tree and the rules read one.
    """

    raw: int | str

    @property
    def value(self) -> int | str:
        return self.raw

    @property
    def wire(self) -> int | str:
        return self.raw

    @property
    def info(self) -> ChannelInfo:
        return UNKNOWN_CHANNEL_INFO

    @property
    def code(self) -> int:
        return self.raw if isinstance(self.raw, int) else 0

    @property
    def label(self) -> str:
        from tui.text.safe_text import one_line

        return f"Unknown channel {one_line(str(self.raw), 30)}"

    @property
    def family(self) -> str:
        return UNKNOWN_CHANNEL_INFO.family


AnyChannel = Channel | UnknownChannel


def parse_channel_kept(raw: object) -> Channel | UnknownChannel:
    """:meth:`Channel.parse`, keeping a code or name it does not know as an :class:`UnknownChannel`.

    Nothing at all (None, an empty string) or a value of another JSON type still raises.
    """
    if isinstance(raw, UnknownChannel):
        return raw
    try:
        return Channel.parse(raw)
    except UnknownChannelError:
        if isinstance(raw, bool) or not isinstance(raw, (int, str)) or (isinstance(raw, str) and not raw.strip()):
            raise
        return UnknownChannel(raw)


# What the form calls each payload key; the findings name a field the same way.
PAYLOAD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "subject": "Subject",
        "preheader": "Preheader",
        "content": "Content (HTML)",
        "connectionNote": "Connection note",
        "message": "Message",
        "title": "Title",
    }
)


def text_key_of(channel: Channel | UnknownChannel, payload: Mapping[str, Any]) -> str | None:
    """The payload key of ``channel``'s main text (:attr:`ChannelInfo.text_key`); for a channel
    seqedit does not know, the first key any channel keeps its text in that ``payload`` holds."""
    if isinstance(channel, UnknownChannel):
        return next((key for key in TEXT_KEYS if isinstance(payload.get(key), str)), None)
    return channel.info.text_key


class Priority(enum.Enum):
    """Task priority; the wire carries the name, the API may return the code."""

    URGENT = "Urgent"
    HIGH = "High"
    NORMAL = "Normal"
    LOW = "Low"

    @property
    def code(self) -> int:
        return _PRIORITY_CODES[self]

    @classmethod
    def parse(cls, raw: object) -> Priority:
        if isinstance(raw, Priority):
            return raw
        if isinstance(raw, int) and not isinstance(raw, bool):
            for priority, code in _PRIORITY_CODES.items():
                if code == raw:
                    return priority
        if isinstance(raw, str):
            text = raw.strip()
            if text.isdigit():
                return cls.parse(int(text))
            for priority in Priority:
                if priority.value.lower() == text.lower():
                    return priority
        raise ValueError(f"unknown priority {raw!r}: use Urgent, High, Normal or Low (1 to 4)")


_PRIORITY_CODES = {Priority.URGENT: 1, Priority.HIGH: 2, Priority.NORMAL: 3, Priority.LOW: 4}

# How the server wrote a priority: the seed's enum says names, its example a number, other
# endpoints numeric strings. Which one the PATCH takes is not documented, so seqedit answers
# in the form the server used for that variant (see encode_priority).
PriorityEncoding = str  # "number" | "string" | "name"


def priority_encoding(raw: object) -> PriorityEncoding | None:
    """How ``raw`` (a priority as the server sent it) is written; None when it is no priority."""
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        Priority.parse(raw)
    except ValueError:
        return None
    if isinstance(raw, int):
        return "number"
    if isinstance(raw, str):
        return "string" if raw.strip().isdigit() else "name"
    return None


def encode_priority(priority: Priority, encoding: PriorityEncoding | None) -> int | str:
    """The one place that decides how a priority goes on the wire: as the server wrote it for
    that variant (a number, a numeric string or a name); the name when it never showed one."""
    if encoding == "number":
        return priority.code
    if encoding == "string":
        return str(priority.code)
    return priority.value


class Status(enum.IntEnum):
    """Variant status on the wire: 0 paused, 1 active."""

    PAUSED = 0
    ACTIVE = 1


def variant_letter(index: int) -> str:
    """A, B, … Z for the variant's position within its step (letters are not stored)."""
    return chr(ord("A") + index) if 0 <= index < 26 else f"#{index + 1}"


@dataclass(frozen=True)
class VariantSlots:
    """Whether a step has room for one more variant: the channel's two limits, in one place.

    ``refusal`` is why no variant can be added at all (Email past Z); ``active_refusal`` why an
    *active* one cannot (another channel's one active variant); both are None when it fits.
    The sandbox enforces these, the validation rules report them and the app offers the way out.
    """

    total: int
    active: int
    refusal: str | None
    active_refusal: str | None

    @property
    def next_letter(self) -> str:
        return variant_letter(self.total)


def variant_slots(channel: Channel | UnknownChannel, statuses: Sequence[object]) -> VariantSlots:
    """The room left in a step of ``channel`` whose variants have ``statuses`` (wire values)."""
    info = channel.info
    total = len(statuses)
    active = sum(1 for status in statuses if status == Status.ACTIVE or status == "1")
    refusal = None
    if total >= info.max_variants:
        last = variant_letter(info.max_variants - 1)
        refusal = f"a {info.label} step holds at most {info.max_variants} variants (A to {last})"
    active_refusal = None
    if active >= info.max_active:
        active_refusal = (
            f"a {info.label} step holds one active variant and it has one already: "
            "add this one paused, or pause the other"
            if info.max_active == 1
            else f"a {info.label} step holds at most {info.max_active} active variants"
        )
    return VariantSlots(total=total, active=active, refusal=refusal, active_refusal=active_refusal)
