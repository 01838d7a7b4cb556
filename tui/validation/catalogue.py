"""The rule catalogue: every rule id with its severity, threshold and reason.

The engine only emits ids listed here (a test checks it), so help screens and the README can
list exactly what is checked. Thresholds live here as constants that the checks import.
"""

from __future__ import annotations

from tui.api.channels import (
    ABSOLUTE_DAYS_RANGE,
    CHANNEL_INFO,
    PAYLOAD_LABELS,
    TASK_NOTE_LIMIT,
    Channel,
    variant_letter,
)

from .findings import Rule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 (the table reads as E/W/I)

SUBJECT_MAX_CHARS = 60
SUBJECT_MAX_WORDS = 7
SUBJECT_PHONE_CHARS = 35
PREHEADER_MIN = 30
PREHEADER_MAX = 100
FIRST_BODY_MIN_WORDS = 25
FIRST_BODY_MAX_WORDS = 150
FOLLOWUP_BODY_MAX_WORDS = 120
MAX_LINKS = 2
MIN_TEXT_SHARE = 0.60
# The text share of an email is estimated by counting each image as this many characters of
# text (about a logo or a small banner: three lines). Larger would flag every short email with
# a signature logo; the rule is after image-only emails.
IMAGE_TEXT_EQUIVALENT = 200
GMAIL_CLIP_BYTES = 102 * 1024

# The channel table's facts, said in the catalogue's words (never written again here).
_DAYS = f"{ABSOLUTE_DAYS_RANGE[0]} to {ABSOLUTE_DAYS_RANGE[1]}"
_EMAIL_VARIANTS = CHANNEL_INFO[Channel.EMAIL].max_variants
_HARD_LIMITS = "; ".join(
    f"{info.label}: "
    + ", ".join(f"{PAYLOAD_LABELS.get(key, key).lower()} {limit}" for key, limit in info.limits.items())
    for info in CHANNEL_INFO.values()
    if info.limits
)

_RULES = (
    Rule(
        "api.payload-keys",
        E,
        "Payload keys match the channel",
        "the channel's keys only",
        "The API rejects a payload whose keys belong to another channel.",
    ),
    Rule(
        "api.payload-keys-server",
        # Advice, not a warning: nothing to do about it, and a vendor account's every Email may
        # carry such a key (a warning on each would drown the ones that matter).
        I,
        "Payload keys the server sent",
        "sent back unchanged",
        "The server returned a payload key this channel is not documented to take; seqedit sends it back as it came.",
    ),
    Rule(
        "api.channel-unknown",
        E,
        "Channel is known",
        "the 15 documented channels",
        "seqedit cannot check what the API takes for a channel it does not know, so it does not save one.",
    ),
    Rule(
        "api.attachments-replace",
        W,
        "Attachment list is known",
        "attachmentIds replaces the whole list",
        "The server never showed this variant's attachments: sending a list replaces whatever it holds.",
    ),
    Rule(
        "api.required",
        E,
        "Required payload keys are present",
        "Email subject+content; LinkedIn note/message; InMail subject+message",
        "The API rejects a payload without the channel's required keys.",
    ),
    Rule(
        "api.task-note-email",
        E,
        "No task note on Email",
        "none allowed",
        "Email is automated, not a task: the API rejects taskNote on Email variants.",
    ),
    Rule(
        "api.task-note-length",
        E,
        "Task note length",
        f"{TASK_NOTE_LIMIT} characters",
        f"The API rejects a taskNote over {TASK_NOTE_LIMIT} characters.",
    ),
    Rule(
        "api.attachments-channel",
        E,
        "Attachments only on Email",
        "Email only",
        "The API rejects attachmentIds on non-Email variants.",
    ),
    Rule(
        "api.attachment-unknown",
        E,
        "Attachment ids exist",
        "ids the account has",
        "An id that POST /v1/attachments never returned is rejected.",
    ),
    Rule(
        "api.variant-count",
        E,
        "Room for another variant",
        f"Email: {_EMAIL_VARIANTS} variants (A to {variant_letter(_EMAIL_VARIANTS - 1)})",
        f"An Email step holds at most {_EMAIL_VARIANTS} variants; the API refuses one more.",
    ),
    Rule(
        "api.one-active",
        E,
        "One active variant (not Email)",
        "1 active variant",
        "A step of any channel but Email holds one active variant: add or switch on another only paused.",
    ),
    Rule(
        "api.days-range",
        E,
        "Day within range",
        _DAYS,
        f"absoluteDays outside {_DAYS} is rejected.",
    ),
    Rule(
        "api.days-email-clash",
        E,
        "One Email step per day",
        "1 Email step per day",
        "Each day holds at most one Email step; the API rejects a second one.",
    ),
    Rule(
        "api.status",
        E,
        "Status is 0 or 1",
        "0 (paused) or 1 (active)",
        "Any other status is rejected; one the server sent is kept and shown, but not saved.",
    ),
    Rule(
        "api.value-kept",
        I,
        "Unknown value kept",
        "sent only when changed",
        "A status, priority or channel seqedit does not know, as the server sent it: kept and not sent, so it "
        "blocks only a save that would send it.",
    ),
    Rule(
        "api.priority",
        E,
        "Priority is known",
        "Urgent, High, Normal, Low (1 to 4)",
        "Any other priority is rejected; one the server sent is kept and shown, but not saved.",
    ),
    Rule(
        "api.type-mismatch",
        E,
        "Type matches the step",
        "the parent step's channel",
        "A variant's type must match its step's channel.",
    ),
    Rule(
        "api.limit",
        E,
        "Channel length limits",
        _HARD_LIMITS,
        "The API rejects text over the channel's hard limit.",
    ),
    Rule(
        "tags.unbalanced",
        E,
        "Merge tag braces balance",
        "every {{ has a }}",
        "An unbalanced brace sends the raw braces to the prospect.",
    ),
    Rule(
        "spin.unbalanced",
        E,
        "Spintax blocks are closed",
        "every {spin} has an {endspin}",
        "An unclosed spintax block is sent literally.",
    ),
    Rule(
        "spin.empty-option",
        E,
        "No empty spintax option",
        "every option has text",
        "An empty option sends an email with a hole in it.",
    ),
    Rule(
        "tags.unknown",
        W,
        "Merge tags match a field",
        "a label from GET /v1/fields",
        "A tag that matches no field is sent empty or literally.",
    ),
    Rule(
        "tags.no-fallback",
        W,
        "Merge tags have a fallback",
        "inline |'…' or a stored fallbackText",
        'A prospect without the field gets an empty gap ("Hi ,").',
    ),
    Rule(
        "tags.foreign-syntax",
        W,
        "No syntax from other tools",
        "{{RANDOM|…}}, {a|b}, {{#if}}, {% %}, [[…]]",
        "Saleshandy does not understand other tools' syntax and sends it literally.",
    ),
    Rule(
        "spin.combinations",
        I,
        "Spintax combinations",
        "informational",
        "How many different versions this variant can send.",
    ),
    Rule(
        "email.subject-empty-first",
        E,
        "Subject on the first email",
        "must not be empty",
        "The first email starts the thread and needs a subject.",
    ),
    Rule(
        "email.subject-empty-followup",
        I,
        "Empty subject on a follow-up",
        "empty = reply in thread",
        "A follow-up without a subject goes out as a reply in the same thread.",
    ),
    Rule(
        "email.subject-length",
        W,
        "Subject length",
        f"{SUBJECT_MAX_CHARS} characters or {SUBJECT_MAX_WORDS} words; phones cut near {SUBJECT_PHONE_CHARS}",
        "Long subjects get cut in most inboxes.",
    ),
    Rule(
        "email.subject-shouting",
        W,
        "Subject shouting",
        "ALL-CAPS word of 4+ letters, !!, ??, fake RE:/FWD: on a first email",
        "Shouting and fake replies read as spam to people and filters.",
    ),
    Rule(
        "email.preheader",
        W,
        "Preheader length",
        f"{PREHEADER_MIN} to {PREHEADER_MAX} characters; not the subject again",
        "Short preheaders get padded with body text; long ones get cut; a copy of the subject wastes the line.",
    ),
    Rule(
        "email.body-length",
        W,
        "Body length",
        f"first email {FIRST_BODY_MIN_WORDS} to {FIRST_BODY_MAX_WORDS} words; follow-ups up to {FOLLOWUP_BODY_MAX_WORDS}",
        "Short, specific cold emails get more replies; very short ones look like spam.",
    ),
    Rule(
        "email.links",
        W,
        "Links",
        f"none in the first email; at most {MAX_LINKS}; no URL shorteners",
        "Links in cold emails, many links and shorteners hurt deliverability.",
    ),
    Rule(
        "email.link-text",
        W,
        "Link text",
        "<a> has an href, not '#', and a visible URL matches its target",
        "Broken links and mismatched visible URLs look like phishing.",
    ),
    Rule(
        "email.images",
        W,
        "Images",
        f"every <img> has alt; at least {int(MIN_TEXT_SHARE * 100)}% text",
        "Images are often blocked; image-heavy emails land in spam.",
    ),
    Rule(
        "email.size",
        W,
        "HTML size",
        f"{GMAIL_CLIP_BYTES // 1024} KB",
        "Gmail clips larger messages, hiding the footer and unsubscribe link.",
    ),
    Rule(
        "email.markup",
        E,
        "Markup",
        "<script>/<iframe>/<form>: E; on* handlers, unclosed or mismatched tags: W",
        "Mail clients strip active content and filters punish it; broken tags render unpredictably.",
    ),
    Rule(
        "email.spam-words",
        W,
        "Spam-trigger words",
        "financial, urgency, marketing, scam and pressure words; 2+ in a subject",
        "Spam filters score these words; words inside merge tags do not count.",
    ),
    Rule(
        "linkedin.free-limit",
        W,
        "Connection note on free LinkedIn",
        "200 characters",
        "Free LinkedIn accounts cut connection notes at 200 characters.",
    ),
    Rule(
        "whatsapp.length",
        W,
        "WhatsApp text length",
        "4096 characters",
        "WhatsApp does not deliver longer texts in one message.",
    ),
    Rule(
        "text.invisible",
        W,
        "No invisible or bidi characters",
        "zero-width characters, bidi controls (U+200B, U+202E, U+FEFF, …)",
        "They show as nothing in the form, and a bidi override makes text read differently from what is sent.",
    ),
    Rule(
        "task.empty-note",
        I,
        "Task instructions",
        "a non-empty task note",
        "The person doing the task gets no instructions.",
    ),
)

RULES: dict[str, Rule] = dict({rule.rule_id: rule for rule in _RULES})
