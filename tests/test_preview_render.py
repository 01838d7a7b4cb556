"""The email renderer: structure, merge tags, spintax, hidden content, links, hostile input."""

from __future__ import annotations

from tui.api.models import ProspectField
from tui.preview import PreviewOptions, Rendered, Segment, render_email, to_plain, to_rich


def text_of(rendered: Rendered) -> str:
    return to_plain(rendered, references=False)


def segments(rendered: Rendered) -> list[Segment]:
    return [segment for line in rendered.lines for segment in line]


def styled(rendered: Rendered, tag: str) -> list[str]:
    """The texts of the segments that carry ``tag``."""
    return [segment.text for segment in segments(rendered) if tag in segment.style.split()]


def render(html: str, **options) -> Rendered:
    return render_email(html, PreviewOptions(**options))


# -- structure ---------------------------------------------------------------------------


def test_paragraphs_get_one_blank_line_and_br_breaks_the_line() -> None:
    rendered = render("<p>One</p><p>Two<br>three</p><div>four</div><div>five</div>")
    assert text_of(rendered) == "One\n\nTwo\nthree\n\nfour\nfive\n"


def test_whitespace_collapses_like_a_browser_and_entities_decode() -> None:
    rendered = render("<p>  a \n\t  b&nbsp;&nbsp;c &amp; &lt;d&gt; &eacute;</p>")
    assert text_of(rendered) == "a b  c & <d> é\n"


def test_inline_styles_are_semantic_tags() -> None:
    rendered = render("<p><b>B</b> <strong>S</strong> <i>I</i> <em>E</em> <u>U</u> <s>X</s> <code>C</code></p>")
    assert styled(rendered, "bold") == ["B", "S"]
    assert styled(rendered, "italic") == ["I", "E"]
    assert styled(rendered, "underline") == ["U"]
    assert styled(rendered, "strike") == ["X"]
    assert styled(rendered, "code") == ["C"]


def test_nested_styles_combine() -> None:
    rendered = render("<p><b>bold <i>both</i></b></p>")
    assert Segment("both", "bold italic") in segments(rendered)


def test_headings_are_styled_with_blank_lines() -> None:
    rendered = render("<p>before</p><h1>Title</h1><h2>Sub</h2>after")
    assert text_of(rendered) == "before\n\nTitle\n\nSub\n\nafter\n"
    assert styled(rendered, "h1") == ["Title"]
    assert set(styled(rendered, "heading")) == {"Title", "Sub"}


def test_nested_lists_with_markers_and_indentation() -> None:
    rendered = render("<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul><ol start='3'><li>x</li><li>y</li></ol>")
    assert text_of(rendered) == "  • a\n    • a1\n  • b\n\n  3. x\n  4. y\n"
    assert styled(rendered, "list-marker") == ["• ", "• ", "• ", "3. ", "4. "]


def test_list_item_continuation_lines_align_under_the_text() -> None:
    rendered = render("<ul><li>" + "word " * 12 + "</li></ul>", width=24)
    lines = text_of(rendered).splitlines()
    assert lines[0].startswith("  • word")
    assert all(line.startswith("    word") for line in lines[1:])
    assert all(len(line) <= 24 for line in lines)


def test_blockquote_prefixes_every_line_including_blank_ones_inside() -> None:
    rendered = render("<p>x</p><blockquote><p>one</p><p>two</p></blockquote><p>y</p>")
    assert text_of(rendered) == "x\n\n│ one\n│\n│ two\n\ny\n"


def test_hr_is_a_rule_across_the_width() -> None:
    rendered = render("a<hr>b", width=30)
    assert text_of(rendered) == "a\n" + "─" * 30 + "\nb\n"
    assert styled(rendered, "hr") == ["─" * 30]


def test_pre_keeps_whitespace() -> None:
    rendered = render("<pre>  x = 1\n    y  =  2</pre>")
    assert text_of(rendered) == "  x = 1\n    y  =  2\n"


def test_images_show_alt_and_are_never_fetched() -> None:
    rendered = render('<p>Logo: <img src="http://127.0.0.1:9/x.png" alt="Acme"> <img src="y.png"></p>')
    assert text_of(rendered) == "Logo: [image: Acme] [image]\n"
    assert styled(rendered, "image") == ["[image: Acme]", "[image]"]


def test_layout_tables_flatten_into_blocks_in_reading_order() -> None:
    html = (
        '<table role="presentation"><tr><td>Left column</td><td>Right column</td></tr>'
        "<tr><td><table><tr><td>Nested</td></tr></table></td></tr></table>"
    )
    assert text_of(render(html)) == "Left column\nRight column\nNested\n"


def test_data_tables_keep_rows() -> None:
    html = "<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Team</td><td>$10</td></tr></table>"
    rendered = render(html)
    assert text_of(rendered) == "Plan | Price\nTeam | $10\n"
    assert styled(rendered, "bold") == ["Plan", "Price"]


def _nested(table: str, depth: int = 3) -> str:
    """``table`` inside ``depth`` layout tables, as real emails nest it."""
    return "<table role='presentation' width='100%'><tr><td>" * depth + table + "</td></tr></table>" * depth


def test_a_data_table_at_any_depth_keeps_its_rows_with_columns_aligned() -> None:
    table = (
        "<table><tr><th align='left'><p>Description</p></th><th align='right'><p>Amount</p></th></tr>"
        "<tr><td>Team plan</td><td align='right'>$125.00</td></tr>"
        "<tr><td>Extra domain</td><td style='text-align: right'>$6.00</td></tr></table>"
    )
    rendered = render(_nested("<p>Before</p>" + table + "<p>After</p>"))
    assert text_of(rendered) == (
        "Before\n\nDescription  |  Amount\nTeam plan    | $125.00\nExtra domain |   $6.00\n\nAfter\n"
    )
    assert styled(rendered, "muted") == [" | ", " | ", " | "]  # the separators; padding is unstyled
    assert styled(rendered, "bold") == ["Description", "Amount"]


def test_label_value_rows_without_headers_are_data_even_marked_presentation() -> None:
    table = (
        "<table role='presentation'><tr><td>When</td><td class='spacer'>&nbsp;</td><td>Mar 14, 10:00</td></tr>"
        "<tr><td>Where</td><td>&nbsp;</td><td>Pier 27<br>San Francisco</td></tr></table>"
    )
    # The spacer column shows nothing in any row: dropped. A <br> breaks the line within the cell.
    assert text_of(render(_nested(table))) == "When  | Mar 14, 10:00\nWhere | Pier 27\n      | San Francisco\n"


def test_text_never_shown_does_not_make_a_data_table_layout() -> None:
    style = "<style>" + ".x { color: red } " * 10 + "</style>"  # builders' output puts <style> anywhere
    html = f"<table><tr><td>When{style}</td><td>Mar 14</td></tr><tr><td>Where</td><td>Pier 27</td></tr></table>"
    assert text_of(render(html)) == "When  | Mar 14\nWhere | Pier 27\n"


def test_layout_tables_stay_flattened() -> None:
    cases = {
        # a holder of other tables, whatever it looks like
        "<table><tr><th>A</th><th>B</th></tr><tr><td>a</td><td><table><tr><td>x</td></tr></table></td></tr></table>": (
            "A\nB\na\nx\n"
        ),
        # one row of two columns without headers: a header bar or two product cards
        "<table><tr><td>Logo</td><td>View online</td></tr></table>": "Logo\nView online\n",
        # cells holding structure
        "<table><tr><td><h2>One</h2></td><td><h2>Two</h2></td></tr><tr><td>a</td><td>b</td></tr></table>": (
            "One\n\nTwo\n\na\nb\n"
        ),
        # Foundation's columns: <th> cells, but only one of them shows anything
        "<table><tr><th><p>Column text</p></th><th class='expander'></th></tr></table>": "Column text\n",
        # long prose in a table without headers
        "<table><tr><td>a</td><td>" + "word " * 30 + "</td></tr><tr><td>b</td><td>c</td></tr></table>": None,
    }
    for html, expected in cases.items():
        text = text_of(render(html, width=200))
        assert " | " not in text, html
        if expected is not None:
            assert text == expected, html


def test_a_data_table_wraps_its_cells_within_the_width() -> None:
    table = (
        "<table><tr><th>Ticket</th><th>Qty</th><th align='right'>Price</th></tr>"
        "<tr><td>Conference pass, all three days including the workshops</td><td>2</td>"
        "<td align='right'>$1,180.00</td></tr>"
        "<tr><td colspan='2' align='right'>Total</td><td align='right'>$1,180.00</td></tr></table>"
    )
    rendered = render(_nested(table), width=40)
    assert text_of(rendered) == (
        "Ticket                 | Qty |     Price\n"
        "Conference pass, all   | 2   | $1,180.00\n"
        "three days including\n"
        "the workshops\n"
        "                       Total | $1,180.00\n"
    )
    assert all(len("".join(s.text for s in line)) <= 40 for line in rendered.lines)


def test_a_data_table_too_wide_for_columns_wraps_each_row_as_one_paragraph() -> None:
    head = "".join(f"<th>H{index}</th>" for index in range(8))
    cells = "".join(f"<td>v{index}</td>" for index in range(8))
    rendered = render(f"<table><tr>{head}</tr><tr>{cells}</tr></table>", width=20)
    assert text_of(rendered) == ("H0 | H1 | H2 | H3 |\nH4 | H5 | H6 | H7\nv0 | v1 | v2 | v3 |\nv4 | v5 | v6 | v7\n")


def test_a_data_table_in_a_list_keeps_the_list_indent() -> None:
    html = "<ul><li>Totals:<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table></li></ul>"
    assert text_of(render(html)) == "  • Totals:\n\n    A | B\n    1 | 2\n"


def test_a_link_around_block_content_puts_its_marker_on_its_last_line() -> None:
    html = (
        "<a href='https://a.example/up'><table><tr><td>Upgrade now</td></tr></table></a>"
        "<a href='https://a.example/guide'><div><b>Guide</b><br>Read it</div></a>"
        "<a href='https://a.example/'><div>https://a.example/</div></a>"
    )
    rendered = render(html)
    assert text_of(rendered) == "Upgrade now[1]\nGuide\nRead it[2]\nhttps://a.example/\n"
    assert rendered.links == ["https://a.example/up", "https://a.example/guide"]
    # A full last line: its last word moves down with the marker, as wrapping would have put it.
    full = render("<a href='https://a.example/x'><div>aaaaaaaaa bbbbbbbbbb</div></a>", width=20)
    assert text_of(full) == "aaaaaaaaa\nbbbbbbbbbb[1]\n"
    # A data table inside a link: the marker ends its last row.
    table = render(
        "<a href='https://t.example'><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table></a>"
    )
    assert text_of(table) == "A | B\n1 | 2[1]\n"


def test_wrapping_respects_width_and_keeps_words_whole() -> None:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    rendered = render(f"<p>{words}</p>", width=20)
    lines = text_of(rendered).splitlines()
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(lines) == words


def test_wrapping_crosses_style_boundaries_without_splitting_words() -> None:
    rendered = render("<p>aaaa <b>bbbb</b>cccc dddd</p>", width=20)
    assert text_of(rendered) == "aaaa bbbbcccc dddd\n"
    rendered = render("<p>" + "x" * 15 + " <b>bbbb</b>cccc</p>", width=20)
    assert text_of(rendered) == "x" * 15 + "\nbbbbcccc\n"


def test_very_long_urls_break_hard() -> None:
    url = "https://example.com/" + "a" * 100
    rendered = render(f"<p>{url}</p>", width=40)
    lines = text_of(rendered).splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert "".join(lines) == url


# -- links -------------------------------------------------------------------------------


def test_links_are_numbered_and_listed_at_the_end() -> None:
    html = '<p><a href="https://a.example">first</a>, <a href="https://b.example/x">second</a>, <a href="https://a.example">again</a></p>'
    rendered = render(html)
    assert rendered.links == ["https://a.example", "https://b.example/x"]
    assert to_plain(rendered) == "first[1], second[2], again[1]\n\n[1] https://a.example\n[2] https://b.example/x\n"
    assert styled(rendered, "link") == ["first", "second", "again"]


def test_a_link_showing_its_own_url_gets_no_reference() -> None:
    rendered = render(
        '<a href="https://example.com/">https://example.com</a> <a href="mailto:a@b.example">a@b.example</a>'
    )
    assert rendered.links == []
    assert text_of(rendered) == "https://example.com a@b.example\n"


def test_anchors_and_script_urls_are_not_listed() -> None:
    rendered = render('<a href="#top">top</a> <a href="javascript:alert(1)">x</a> <a>no href</a>')
    assert rendered.links == []
    assert text_of(rendered) == "top x no href\n"


# -- hidden content ----------------------------------------------------------------------


HIDDEN = """
<head><title>TITLE</title><style>p { color: red }</style><script>var s = 'HEADSCRIPT';</script></head>
<body>
<script>document.write('SCRIPT')</script><style>.x{}</style><!-- COMMENT --><template>TEMPLATE</template>
<div style="display:none">DISPLAYNONE</div>
<div style="DISPLAY: None !important">UPPERNONE</div>
<span style="visibility:hidden">VISHIDDEN</span>
<p hidden>HIDDENATTR</p>
<div style="max-height:0;overflow:hidden">MAXHEIGHT</div>
<div style="font-size:0">FONTSIZE</div>
<div style="mso-hide:all">MSOHIDE</div>
<img src="pixel.gif" width="1" height="1" alt="PIXEL">
<img src="p2.gif" style="width:1px;height:1px" alt="PIXEL2">
<img src="p3.gif" aria-hidden="true" alt="ARIAPIXEL">
<!--[if mso]><p>MSOONLY</p><![endif]-->
<p>visible</p>
</body>
"""


def test_hidden_elements_do_not_appear() -> None:
    assert text_of(render(HIDDEN)) == "visible\n"


def test_font_size_zero_containers_still_show_children_that_set_a_size() -> None:
    # MJML and similar builders put columns in font-size:0 cells to kill inline-block gaps.
    html = '<div style="font-size:0px">gap<div style="font-size:14px">Column text</div><img alt="Pic"></div>'
    assert text_of(render(html)) == "Column text\n[image: Pic]\n"


# -- merge tags --------------------------------------------------------------------------


def test_without_a_prospect_tags_are_highlighted_as_written() -> None:
    rendered = render("<p>Hi {{First Name|'there'}} at {{company}}</p>")
    assert text_of(rendered) == "Hi {{First Name|'there'}} at {{company}}\n"
    assert styled(rendered, "tag") == ["{{First Name|'there'}}", "{{company}}"]
    assert rendered.missing == []


def test_prospect_values_fill_tags_in_any_label_form() -> None:
    rendered = render(
        "<p>{{First Name}} {{firstName}} {{first_name}} {{COMPANY}}</p>",
        prospect={"First Name": "Ana", "Company": "Acme"},
    )
    assert text_of(rendered) == "Ana Ana Ana Acme\n"
    assert styled(rendered, "filled") == ["Ana", "Ana", "Ana", "Acme"]
    assert rendered.missing == []


def test_inline_fallback_is_used_and_marked() -> None:
    rendered = render("<p>Hi {{First Name|'there'}},</p>", prospect={"First Name": "  "})
    assert text_of(rendered) == "Hi there,\n"
    assert styled(rendered, "fallback") == ["there"]
    assert rendered.missing == ["First Name"]


def test_stored_fallback_text_is_used_and_marked() -> None:
    fields = [ProspectField(id="f1", label="Company", fallbackText="your team")]
    rendered = render("<p>At {{company}}.</p>", prospect={}, fields=fields)
    assert text_of(rendered) == "At your team.\n"
    assert styled(rendered, "fallback") == ["your team"]
    assert rendered.missing == ["company"]


def test_inline_fallback_wins_over_stored() -> None:
    fields = [ProspectField(id="f1", label="Company", fallbackText="stored")]
    rendered = render("<p>{{Company|'inline'}}</p>", prospect={}, fields=fields)
    assert text_of(rendered) == "inline\n"


def test_no_value_and_no_fallback_is_marked_missing() -> None:
    rendered = render("<p>Hello {{Pain Point}} and {{Pain Point}}</p>", prospect={"First Name": "Ana"})
    assert text_of(rendered) == "Hello {{Pain Point}} and {{Pain Point}}\n"
    assert styled(rendered, "missing") == ["{{Pain Point}}", "{{Pain Point}}"]
    assert rendered.missing == ["Pain Point"]


def test_values_with_markup_cannot_inject() -> None:
    prospect = {"Company": "<b>Evil</b> & <script>x</script>", "First Name": "[bold red]Ana[/]"}
    rendered = render("<p>{{First Name}} at {{Company}}</p>", prospect=prospect)
    assert text_of(rendered) == "[bold red]Ana[/] at <b>Evil</b> & <script>x</script>\n"
    assert styled(rendered, "bold") == []


def test_tags_in_link_targets_are_filled() -> None:
    rendered = render(
        "<a href=\"https://example.com/?e={{Email}}&c={{Company|'none'}}\">go</a>", prospect={"Email": "a@b.example"}
    )
    assert rendered.links == ["https://example.com/?e=a@b.example&c=none"]


def test_entity_encoded_quotes_in_a_fallback_work() -> None:
    rendered = render("<p>Hi {{First Name|&#39;there&#39;}}</p>", prospect={})
    assert text_of(rendered) == "Hi there\n"


# -- spintax -----------------------------------------------------------------------------


def test_spintax_cycles_through_every_combination() -> None:
    html = "<p>{spin}Hi|Hey|Hello{endspin} {{First Name}}, {spin}quick question|one question{endspin}</p>"
    seen = []
    for choice in range(6):
        rendered = render(html, prospect={"First Name": "Ana"}, spin_choice=choice)
        assert rendered.combinations == 6
        assert rendered.choice == choice
        seen.append(text_of(rendered).strip())
    assert sorted(seen) == sorted(
        f"{greeting} Ana, {question}"
        for greeting in ("Hi", "Hey", "Hello")
        for question in ("quick question", "one question")
    )
    wrapped = render(html, spin_choice=6)
    assert wrapped.choice == 0 and text_of(wrapped) == text_of(render(html, spin_choice=0))


def test_spin_choices_are_marked_subtly() -> None:
    rendered = render("<p>{spin}<b>Hi</b>|Hey{endspin} there</p>")
    assert Segment("Hi", "bold spin") in segments(rendered)
    assert text_of(rendered) == "Hi there\n"
    assert styled(render("<p>{spin}Hi|Hey{endspin} there</p>", spin_choice=1), "spin") == ["Hey"]


def test_spin_option_holding_a_merge_tag_is_filled() -> None:
    rendered = render("<p>{spin}Hi {{First Name}}|Hello{endspin}</p>", prospect={"First Name": "Ana"})
    assert text_of(rendered) == "Hi Ana\n"
    assert Segment("Ana", "spin filled") in segments(rendered)


def test_no_spintax_means_one_combination() -> None:
    rendered = render("<p>{a|b} is not spintax</p>")
    assert rendered.combinations == 1
    assert text_of(rendered) == "{a|b} is not spintax\n"


# -- modes and counts --------------------------------------------------------------------


def test_plain_mode_has_the_same_text_without_styles() -> None:
    html = "<p>Hi <b>{{First Name}}</b>, <a href='https://x.example'>read</a></p><ul><li>one</li></ul>"
    rendered = render(html, prospect={"First Name": "Ana"})
    plain = render(html, prospect={"First Name": "Ana"}, mode="plain")
    assert to_plain(plain) == to_plain(rendered)
    assert all(segment.style == "" for segment in segments(plain))


def test_source_mode_shows_the_raw_html() -> None:
    html = "<p>Hi {{First Name}}</p>\n<!-- note -->"
    rendered = render(html, mode="source", prospect={"First Name": "Ana"})
    assert text_of(rendered) == html + "\n"


def test_word_and_character_counts_cover_the_visible_text() -> None:
    rendered = render("<p>One two <a href='https://x.example'>three</a></p><script>four five</script><p>six</p>")
    assert rendered.word_count == 4
    # Characters of the visible text, line breaks between blocks not counted.
    assert rendered.char_count == len("One two three") + len("six")


def test_to_rich_styles_without_parsing_markup() -> None:
    rendered = render("<p><b>[bold red]x[/]</b> {{Tag}}</p>")
    text = to_rich(rendered)
    assert text.plain == "[bold red]x[/] {{Tag}}"
    spans = {text.plain[span.start : span.end]: str(span.style) for span in text.spans}
    assert spans["[bold red]x[/]"] == "bold"
    assert "{{Tag}}" in spans
    themed = to_rich(rendered, theme={"bold": "underline"})
    assert {str(span.style) for span in themed.spans} == {"underline"}


# -- hostile input -----------------------------------------------------------------------


def test_rich_markup_stays_literal() -> None:
    rendered = render("<p>[bold red]x[/] [link=http://evil.example]y[/link]</p>")
    assert text_of(rendered) == "[bold red]x[/] [link=http://evil.example]y[/link]\n"


def test_terminal_escapes_are_neutralised() -> None:
    html = "<p>a\x1b[31mred\x1b[0m b\x1b]8;;http://evil.example\x07link\x1b]8;;\x07 c\x07d\x9b2J</p>"
    rendered = render(html, prospect={"Company": "\x1b[2Jwipe"})
    out = to_plain(rendered)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "red" in out and "link" in out
    filled = render("<p>{{Company}}</p>", prospect={"Company": "\x1b]0;title\x07Acme\x1b[2J"})
    assert text_of(filled) == "Acme\n"


def test_script_text_is_absent_even_when_malformed() -> None:
    rendered = render("<p>ok</p><script>alert('x')<p>still script</p>")
    assert "alert" not in to_plain(rendered) and "still script" not in to_plain(rendered)


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    html = "<div><blockquote><ul><li>" * 3000 + "deep" + "</li></ul></blockquote></div>" * 3000
    rendered = render(html, width=40)
    lines = text_of(rendered).splitlines()
    assert any("deep" in line for line in lines)
    assert all(len(line) <= 40 for line in lines)


def test_nothing_for_empty_input() -> None:
    assert render("").lines == []
    assert render("<html><head></head><body>   </body></html>").lines == []
