"""Golden output: each email in tests/golden/preview renders exactly as its reviewed .txt.

To refresh after an intended change: SEQEDIT_UPDATE_GOLDEN=1 pytest tests/test_preview_golden.py,
then read the diff by eye before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.preview import PreviewOptions, render_email, to_plain

GOLDEN = Path(__file__).parent / "golden" / "preview"
PROSPECT = {"First Name": "Ana", "Company": "Northwind", "Email": "ana@northwind.example"}

CASES = {
    # name of the .txt: (source .html, options)
    "cold_email": ("cold_email", PreviewOptions(width=72, prospect=PROSPECT)),
    "cold_email.tags.w40": ("cold_email", PreviewOptions(width=40)),
    "signature_lists": ("signature_lists", PreviewOptions(width=72, prospect=PROSPECT)),
    "marketing": ("marketing", PreviewOptions(width=72, prospect=PROSPECT)),
    "marketing.spin2": ("marketing", PreviewOptions(width=60, prospect={}, spin_choice=1)),
    "broken": ("broken", PreviewOptions(width=72, prospect=PROSPECT)),
    # issue 17 item 4: a stray C1 byte (a mis-decoded quote) or a cut-off escape keeps its paragraph
    "stray_bytes": ("stray_bytes", PreviewOptions(width=60, prospect=PROSPECT)),
    # issue 17 item 1: the email's own <style> rules hide what mail clients hide
    "css_hidden": ("css_hidden", PreviewOptions(width=72, prospect=PROSPECT)),
    # issue 17 item 7: no bare [N] for empty links, hidden pixels or an empty mailto:; nothing for alt=""
    "small_items": ("small_items", PreviewOptions(width=72, prospect=PROSPECT)),
    # issue 17 item 2: data tables inside layout tables keep their rows, columns aligned and wrapped
    "receipt": ("receipt", PreviewOptions(width=72, prospect=PROSPECT)),
    "receipt.w40": ("receipt", PreviewOptions(width=40, prospect=PROSPECT)),
    "transactional": ("transactional", PreviewOptions(width=72, prospect=PROSPECT)),
    "transactional.w40": ("transactional", PreviewOptions(width=40, prospect=PROSPECT)),
    # issue 17 item 7: a link around block content puts its [N] on its last line
    "block_links": ("block_links", PreviewOptions(width=60, prospect=PROSPECT)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    source, options = CASES[name]
    html = (GOLDEN / f"{source}.html").read_text(encoding="utf-8")
    actual = to_plain(render_email(html, options))
    expected_path = GOLDEN / f"{name}.txt"
    if os.environ.get("SEQEDIT_UPDATE_GOLDEN"):
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")
