"""Re-rendering an email after edits with a BlockCache (tui.preview.blocks) gives exactly what a
render from scratch gives, and does replay the unchanged blocks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_preview_properties import FRAGMENTS

from tui.api.models import ProspectField
from tui.preview import PreviewOptions, render_email, to_plain
from tui.preview.blocks import BlockCache

# Block-level pieces a person would edit around, on top of the hostile fragments.
BLOCKS = [
    "<p>Hi {{First Name}}, one <a href='https://a.example/1'>link</a>.</p>",
    "<p>Same <a href='https://a.example/1'>link</a> again, <a href='https://b.example'>another</a>.</p>",
    "<ul><li>one</li><li>two <b>bold</b></li></ul>",
    "<ol start='3'><li>three</li><li>four</li></ol>",
    "<blockquote><p>quoted</p><p>twice</p></blockquote>",
    "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>{{Company|'x'}}</td></tr></table>",
    "<table role='presentation'><tr><td><p>layout</p><table><tr><td>inner</td></tr></table></td></tr></table>",
    "<table role='presentation'><tr><td><table><tr><th>Item</th><th align='right'>Price</th></tr>"
    "<tr><td>Seats, {{Company|'x'}}</td><td align='right'>$5</td></tr></table></td></tr></table>",
    "<table><tr><td>When</td><td>&nbsp;</td><td>Mar 14<br>10:00</td></tr><tr><td>Where</td><td></td>"
    "<td><a href='https://a.example/1'>Pier 27</a></td></tr></table>",
    "<a href='https://c.example'><div>a block link</div></a>",
    "<a href='https://a.example/1'><table><tr><td>button</td></tr></table></a>",
    "<pre>  code\n  kept</pre>",
    "<div style='font-size:0'><p>hidden by size</p></div>",
    "<h1>Title</h1>",
    "<p>{spin}a|b <p>c{endspin}</p>",
    "<div>text <p>para</p> tail</div>",
]
pieces = st.sampled_from(FRAGMENTS + BLOCKS) | st.text(max_size=12)
# Mostly whole blocks, as real emails are, so that many blocks are replayed after an edit.
html_like = st.lists(st.sampled_from(BLOCKS) | pieces, max_size=16).map("".join)
edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 12), st.one_of(st.just(""), st.sampled_from("x <>/'1"), pieces)),
    min_size=1,
    max_size=8,
)
prospects = st.one_of(
    st.none(), st.dictionaries(st.sampled_from(["First Name", "Company"]), st.text(max_size=8), max_size=2)
)
FIELDS = [ProspectField(id="f", label="Company", fieldType="text", fallbackText="your team")]


def _edit(html: str, where: float, remove: int, insert: str) -> str:
    at = int(where * len(html))
    return html[:at] + insert + html[at + remove :]


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    html=html_like,
    steps=edits,
    width=st.integers(20, 100),
    prospect=prospects,
    spin=st.integers(0, 5),
    mode=st.sampled_from(["rendered", "plain"]),
    resize=st.booleans(),
)
def test_random_edits_render_as_from_scratch(html, steps, width, prospect, spin, mode, resize) -> None:
    cache = BlockCache()
    for index, (where, remove, insert) in enumerate([(0.0, 0, "")] + steps):
        html = _edit(html, where, remove, insert)
        # Now and then the options change under the cache too (a resize, another prospect).
        options = PreviewOptions(
            width=width + (index % 2 if resize else 0), prospect=prospect, fields=FIELDS, spin_choice=spin, mode=mode
        )
        assert render_email(html, options, cache) == render_email(html, options)


def test_a_replayed_list_item_moves_the_list_counter_on() -> None:
    cache = BlockCache()
    options = PreviewOptions(width=40)
    html = "<ol><li>one</li><li>two</li><li>three</li></ol>"
    render_email(html, options, cache)
    edited = html.replace("three", "three!")  # the first two items are replayed
    assert render_email(edited, options, cache) == render_email(edited, options)
    assert cache.replayed == 2


def test_a_block_relies_on_the_link_numbers_before_it() -> None:
    cache = BlockCache()
    options = PreviewOptions(width=60)
    first, second = "<p><a href='https://a.example'>A</a></p>", "<p><a href='https://a.example'>again</a></p>"
    render_email(first + second, options, cache)
    # As many links as before, but the second paragraph's target is new now: [2], not [1].
    edited = first.replace("a.example", "c.example") + second
    assert render_email(edited, options, cache) == render_email(edited, options)
    assert "again[2]" in to_plain(render_email(edited, options, cache))


def test_a_keystroke_in_a_large_email_replays_the_other_blocks() -> None:
    html = "<div>" + "".join(BLOCKS[:7]) * 20 + "</div>"
    at = html.index("</p>")
    cache = BlockCache()
    options = PreviewOptions(width=72)
    before = render_email(html, options, cache)
    after = render_email(html[:at] + "x" + html[at:], options, cache)
    assert cache.replayed >= 139  # every block but the edited paragraph and the <div> around all
    # Past the edited paragraph, the lines are the very objects of the last render.
    assert after.lines[-1] is before.lines[-1] and after.lines[20] is before.lines[20]
    assert "link[1].x" in "".join(segment.text for segment in after.lines[0]) and after.lines[0] is not before.lines[0]
    assert after == render_email(html[:at] + "x" + html[at:], options)
