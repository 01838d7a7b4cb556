"""A realistic ~100 KB email body: paragraphs, merge tags, links, lists, a table, spintax."""

from __future__ import annotations

_PARAGRAPH = (
    "<p style=\"margin:0 0 12px;font-family:Arial,sans-serif;font-size:14px\">Hi {{{{First Name|'there'}}}}, I noticed <b>{{{{Company}}}}</b> is growing its outbound team "
    "(section {n}). {spin} usually "
    "spend <i>hours</i> each week stitching sequences together by hand. We built a workflow that "
    'cuts that to minutes — see <a href="https://example.com/case-study/{n}">the case study</a> or '
    '<a href="https://example.com/pricing?ref={n}">our pricing</a>.</p>\n'
)
_SPIN = "{spin}Teams like yours|Companies your size|Groups in your space{endspin}"
_LIST = (
    "<ul><li>Shorter ramp for new reps ({n})</li><li>Reply rates up by a third</li>"
    "<li>Fewer bounces thanks to <u>verified</u> lists</li></ul>\n"
)
_TABLE = (
    "<table><tr><th>Plan</th><th>Seats</th><th>Price</th></tr>"
    "<tr><td>Starter {n}</td><td>5</td><td>$99</td></tr><tr><td>Growth</td><td>20</td><td>$299</td></tr></table>\n"
)
_QUOTE = "<blockquote>“We booked 40% more meetings in the first month.” — a customer, part {n}</blockquote>\n"
_SIGNATURE = '<p>Best,<br>{{First Name}} team<br><img src="https://example.com/logo.png" alt="logo" width="120"></p>\n'


def email_body(size: int = 100_000) -> str:
    """An HTML body of at least ``size`` characters, the same every time."""
    parts = ["<div>"]
    length, n = 0, 0
    while length < size:
        n += 1
        for template in (_PARAGRAPH, _PARAGRAPH, _LIST, _PARAGRAPH, _QUOTE, _TABLE if n % 5 == 0 else ""):
            spin = _SPIN if n <= 3 else "Teams like yours"  # a few spins, as real emails have
            piece = template.format(n=n, spin=spin)
            parts.append(piece)
            length += len(piece)
    parts.append(_SIGNATURE)
    parts.append("</div>")
    return "".join(parts)
