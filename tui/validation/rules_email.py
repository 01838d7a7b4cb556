"""Email content: subject, preheader, body length, links, images, size, markup, spam words."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from tui.text import mergetags

from . import catalogue as limits
from .context import Context
from .findings import Finding, Severity
from .html_doc import HtmlDoc
from .report import finding, payload_of, plural
from .spam import find_spam, might_be_spam
from .words import count_words, readable

_CAPS_RE = re.compile(r"(?<![\w])[^\W\d_]{4,}(?![\w])")
_REPEAT_PUNCT_RE = re.compile(r"!{2,}|\?{2,}")
_FAKE_REPLY_RE = re.compile(r"^\s*(?:re|fwd?|aw|sv)\s*:", re.IGNORECASE)
_URL_TEXT_RE = re.compile(r"^(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:?#]\S*)?$", re.IGNORECASE)
SHORTENERS = frozenset(
    {
        "bit.ly",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "rb.gy",
        "bl.ink",
        "t.ly",
        "s.id",
        "lnkd.in",
        "soo.gd",
        "v.gd",
        "shorte.st",
    }
)
MAX_PER_RULE = 20


def check_email(draft: Any, ctx: Context, doc: HtmlDoc | None) -> list[Finding]:
    """Every Email content rule; ``doc`` is the parsed body (None when there is no body)."""
    payload = payload_of(draft)
    subject = payload.get("subject")
    preheader = payload.get("preheader")
    found: list[Finding] = []
    if isinstance(subject, str) or subject is None:
        found += _subject(subject or "", ctx)
    if isinstance(preheader, str) and preheader.strip():
        found += _preheader(preheader, subject if isinstance(subject, str) else "")
    if doc is not None:
        found += _body(doc, ctx)
    elif ctx.first_email:
        # No body at all is the shortest body: 0 words is under the minimum too (before, an
        # empty new variant's review said "Findings: none").
        found.append(_too_short(0))
    return found


def _too_short(words: int) -> Finding:
    return finding(
        "email.body-length",
        "payload.content",
        f"Body is {plural(words, 'word')}; a first email under {limits.FIRST_BODY_MIN_WORDS} looks like spam and says too little",
        "Say who you are and why you write",
        threshold=str(limits.FIRST_BODY_MIN_WORDS),
    )


def _counted_as(subject: str, shown: str) -> str:
    # The field's counter counts the text as typed; say why this count differs from it.
    if shown == subject:
        return ""
    parts = []
    if mergetags.TAG_RE.search(subject):
        parts.append("merge tags are filled (each as a 4-letter name)")
    if mergetags.find_spins(subject):
        parts.append("spintax takes its first option")
    return " once " + " and ".join(parts) if parts else ""


def _subject(subject: str, ctx: Context) -> list[Finding]:
    path = "payload.subject"
    if not subject.strip():
        if ctx.first_email:
            return [
                finding(
                    "email.subject-empty-first",
                    path,
                    "The first email has no subject; it must start a thread",
                    "Write a subject of a few words",
                )
            ]
        return [
            finding(
                "email.subject-empty-followup",
                path,
                "No subject: this email goes out as a reply in the same thread",
                "Keep it empty to reply in thread, or write a subject to start a new one",
            )
        ]
    found = []
    shown = readable(subject)
    chars, words = len(shown), count_words(shown)
    if chars > limits.SUBJECT_MAX_CHARS or words > limits.SUBJECT_MAX_WORDS:
        found.append(
            finding(
                "email.subject-length",
                path,
                f"Subject {'is' if shown == subject else 'reads as'} {chars} characters{_counted_as(subject, shown)} and {plural(words, 'word')}; over {limits.SUBJECT_MAX_CHARS} characters or "
                f"{limits.SUBJECT_MAX_WORDS} words gets cut in most inboxes (phones cut near {limits.SUBJECT_PHONE_CHARS})",
                f"Shorten it to {limits.SUBJECT_MAX_WORDS} words or fewer; put the key words first",
                (0, len(subject)),
                threshold=f"{limits.SUBJECT_MAX_CHARS} characters / {limits.SUBJECT_MAX_WORDS} words",
            )
        )
    bare = mergetags.outside_tags(subject)
    for match in _CAPS_RE.finditer(bare):
        if match.group().isupper() and len(found) < MAX_PER_RULE:
            found.append(
                finding(
                    "email.subject-shouting",
                    path,
                    f"'{match.group()}' is in capitals ({len(match.group())} letters); capitals read as shouting",
                    "Write it in normal case",
                    match.span(),
                    threshold="ALL-CAPS word of 4+ letters",
                )
            )
    for match in _REPEAT_PUNCT_RE.finditer(bare):
        if len(found) < MAX_PER_RULE:
            found.append(
                finding(
                    "email.subject-shouting",
                    path,
                    f"'{match.group()}' in the subject reads as shouting",
                    "Use one punctuation mark",
                    match.span(),
                    threshold="!! or ??",
                )
            )
    fake = _FAKE_REPLY_RE.match(subject)
    if fake and ctx.first_email:
        found.append(
            finding(
                "email.subject-shouting",
                path,
                f"'{fake.group().strip()}' fakes a reply or forward on the first email",
                "Remove the prefix: nothing was sent before",
                fake.span(),
                threshold="RE:/FWD: on a first email",
            )
        )
    found += _spam(path, bare, in_subject=True)
    return found


def _preheader(preheader: str, subject: str) -> list[Finding]:
    path = "payload.preheader"
    length = len(readable(preheader))
    found = []
    if length < limits.PREHEADER_MIN:
        found.append(
            finding(
                "email.preheader",
                path,
                f"Preheader is {length} characters; under {limits.PREHEADER_MIN} mail clients pull in body text after it",
                f"Write {limits.PREHEADER_MIN} to {limits.PREHEADER_MAX} characters",
                (0, len(preheader)),
                threshold=f"at least {limits.PREHEADER_MIN}",
            )
        )
    elif length > limits.PREHEADER_MAX:
        found.append(
            finding(
                "email.preheader",
                path,
                f"Preheader is {length} characters; over {limits.PREHEADER_MAX} gets cut",
                f"Cut it to {limits.PREHEADER_MAX} characters",
                (limits.PREHEADER_MAX, len(preheader)),
                threshold=f"at most {limits.PREHEADER_MAX}",
            )
        )
    if subject.strip() and " ".join(preheader.split()).casefold() == " ".join(subject.split()).casefold():
        found.append(
            finding(
                "email.preheader",
                path,
                "Preheader repeats the subject; the inbox shows them side by side",
                "Use the preheader to add something the subject does not say",
                (0, len(preheader)),
                threshold="differs from the subject",
            )
        )
    found += _spam(path, mergetags.outside_tags(preheader), in_subject=False)
    return found


def _spam(path: str, bare: str, *, in_subject: bool) -> list[Finding]:
    # A subject needs every hit (their number matters); a body only the first few.
    hits = list(find_spam(bare)) if in_subject else list(islice(find_spam(bare), MAX_PER_RULE))
    if not hits:
        return []
    found = []
    many = in_subject and len(hits) >= 2
    phrases = ", ".join(sorted({phrase for _s, _e, phrase, _c in hits}))
    for start, end, _phrase, category in hits[:MAX_PER_RULE]:
        if many:
            message = (
                f"'{bare[start:end]}' is a spam-trigger word ({category}); the subject has {len(hits)} ({phrases}), "
                "and 2 or more in a subject weigh much more with spam filters"
            )
        else:
            message = f"'{bare[start:end]}' is a spam-trigger word ({category})"
        found.append(
            finding(
                "email.spam-words",
                path,
                message,
                "Reword it in plain, specific language",
                (start, end),
                threshold="2+ in a subject" if many else "any",
            )
        )
    return found


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url.strip() if "://" in url else "http://" + url.strip()).hostname or ""
    except ValueError:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host or None


def _same_site(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _body(doc: HtmlDoc, ctx: Context) -> list[Finding]:
    path = "payload.content"
    found: list[Finding] = []
    words = doc.words
    if words is None:
        words = doc.words = count_words(readable(doc.visible_text))
    if ctx.first_email and words > limits.FIRST_BODY_MAX_WORDS:
        found.append(
            finding(
                "email.body-length",
                path,
                f"Body is {words} words; a first email over {limits.FIRST_BODY_MAX_WORDS} gets fewer replies",
                "Cut it to the problem, one proof point and one question",
                threshold=str(limits.FIRST_BODY_MAX_WORDS),
            )
        )
    elif ctx.first_email and words < limits.FIRST_BODY_MIN_WORDS:
        found.append(_too_short(words))
    elif not ctx.first_email and words > limits.FOLLOWUP_BODY_MAX_WORDS:
        found.append(
            finding(
                "email.body-length",
                path,
                f"Body is {words} words; a follow-up over {limits.FOLLOWUP_BODY_MAX_WORDS} is rarely read",
                "Keep follow-ups short: one new point and a question",
                threshold=str(limits.FOLLOWUP_BODY_MAX_WORDS),
            )
        )
    found += _links(doc, ctx)
    found += _images(doc, words)
    size = doc.size
    if size > limits.GMAIL_CLIP_BYTES:
        found.append(
            finding(
                "email.size",
                path,
                f"HTML is {size / 1024:.0f} KB; Gmail clips messages over {limits.GMAIL_CLIP_BYTES // 1024} KB, hiding the footer and unsubscribe link",
                "Remove inline styles, embedded images and pasted markup",
            )
        )
    found += _markup(doc)
    if doc.spam_hint if doc.spam_hint is not None else might_be_spam(doc.visible_text):
        found += _spam(path, mergetags.outside_tags(doc.text_mask), in_subject=False)
    return found


def _links(doc: HtmlDoc, ctx: Context) -> list[Finding]:
    path = "payload.content"
    found = []
    links = [
        anchor
        for anchor in doc.anchors
        if anchor.href
        and anchor.href.strip() not in ("#", "")
        and not anchor.href.strip().lower().startswith(("mailto:", "tel:"))
    ]
    if links and ctx.first_email:
        found.append(
            finding(
                "email.links",
                path,
                f"The first email has {plural(len(links), 'link')}; links in a first cold email hurt deliverability",
                "Remove the links; offer them in a follow-up or when they reply",
                links[0].span,
                threshold="0 in a first email",
            )
        )
    if len(links) > limits.MAX_LINKS:
        found.append(
            finding(
                "email.links",
                path,
                f"The email has {len(links)} links; more than {limits.MAX_LINKS} look like marketing",
                f"Keep {limits.MAX_LINKS} or fewer",
                links[limits.MAX_LINKS].span,
                threshold=str(limits.MAX_LINKS),
            )
        )
    for anchor in links[:MAX_PER_RULE]:
        if anchor.href is None or "{{" in anchor.href:
            continue
        host = _host(anchor.href)
        if host in SHORTENERS:
            found.append(
                finding(
                    "email.links",
                    path,
                    f"{host} is a URL shortener; spam filters distrust them",
                    "Link to the full address",
                    anchor.span,
                    threshold="no shorteners",
                )
            )
    for anchor in doc.anchors[:MAX_PER_RULE]:
        href = (anchor.href or "").strip()
        if anchor.href is None:
            found.append(
                finding(
                    "email.link-text",
                    path,
                    f"<a> '{anchor.text[:40]}' has no href; it goes nowhere",
                    "Add the target address or remove the link",
                    anchor.span,
                    threshold="href present",
                )
            )
        elif href in ("", "#"):
            found.append(
                finding(
                    "email.link-text",
                    path,
                    f"<a> '{anchor.text[:40]}' points at '{href}'; it goes nowhere",
                    "Set the real target address",
                    anchor.span,
                    threshold="href not '#'",
                )
            )
        elif "{{" not in href and "{{" not in anchor.text:
            shown = _URL_TEXT_RE.match(anchor.text.strip())
            target = _host(href) if href.lower().startswith(("http://", "https://")) else None
            if shown and target:
                visible = shown.group(1).lower()
                visible = visible[4:] if visible.startswith("www.") else visible
                if not _same_site(visible, target):
                    found.append(
                        finding(
                            "email.link-text",
                            path,
                            f"The link shows {visible} but goes to {target}; that is what phishing looks like",
                            "Make the visible address match the target, or use words as the link text",
                            anchor.span,
                            threshold="visible domain = target domain",
                        )
                    )
    return found


def _images(doc: HtmlDoc, words: int) -> list[Finding]:
    path = "payload.content"
    found: list[Finding] = []
    for image in doc.images:
        if not image.has_alt and len(found) < MAX_PER_RULE:
            found.append(
                finding(
                    "email.images",
                    path,
                    "<img> has no alt text; blocked images leave an empty box",
                    "Add alt text that says what the image shows",
                    image.span,
                    threshold="alt on every image",
                )
            )
    if doc.images:
        share = _text_share(doc.visible_text, limits.IMAGE_TEXT_EQUIVALENT * len(doc.images))
        if share < limits.MIN_TEXT_SHARE:
            found.append(
                finding(
                    "email.images",
                    path,
                    f"The email is about {share:.0%} text and {plural(len(doc.images), 'image')}; under {limits.MIN_TEXT_SHARE:.0%} text lands in spam",
                    "Write the message as text; keep images as extras",
                    doc.images[0].span,
                    threshold=f"{limits.MIN_TEXT_SHARE:.0%} text",
                )
            )
    return found


_SHARE_CHUNK = 4096


def _text_share(text: str, image_chars: int) -> float:
    """The share of non-blank characters in ``text`` against ``image_chars`` for the images.

    Counted a chunk at a time, stopping once the share reaches the goal: a long body passes
    after its first few kilobytes. The share only grows with the count, so an early stop never
    hides a finding, and a share under the goal is always the exact one (the whole text counted).
    """
    text_chars = 0
    for begin in range(0, len(text), _SHARE_CHUNK):
        # White space is single characters, so cutting anywhere keeps the count exact.
        text_chars += len("".join(text[begin : begin + _SHARE_CHUNK].split()))
        share = text_chars / (text_chars + image_chars)
        if share >= limits.MIN_TEXT_SHARE:
            return share
    return text_chars / (text_chars + image_chars)


def _markup(doc: HtmlDoc) -> list[Finding]:
    path = "payload.content"
    found = []
    for item in doc.active[:MAX_PER_RULE]:
        found.append(
            finding(
                "email.markup",
                path,
                f"<{item.tag}> does not work in email; clients strip it and filters punish it",
                f"Remove the <{item.tag}>; link to a page instead",
                item.span,
                severity=Severity.ERROR,
                threshold="no script, iframe or form",
            )
        )
    for item in doc.handlers[:MAX_PER_RULE]:
        found.append(
            finding(
                "email.markup",
                path,
                f"<{item.tag}> has an {item.detail}= handler; scripts never run in email",
                f"Remove the {item.detail} attribute",
                item.span,
                severity=Severity.WARNING,
                threshold="no on* handlers",
            )
        )
    for problem in doc.balance:
        found.append(
            finding(
                "email.markup",
                path,
                problem.message,
                "Close tags in the order they were opened",
                problem.span,
                severity=Severity.WARNING,
                threshold="balanced tags",
            )
        )
    return found
