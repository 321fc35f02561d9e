"""What people type or paste is kept without the characters databases and feeds refuse."""

from firestorm.typed_text import one_line, paragraphs, xml_safe


def test_one_line_text_loses_control_characters_and_extra_spaces():
    # PostgreSQL refuses NUL in text, and nobody means to search for a tab.
    assert one_line("zine\x00 fest\t\n 2026\x1b") == "zine fest 2026"


def test_longer_text_keeps_its_line_breaks_however_they_were_typed():
    pasted = "First line\r\nsecond\rthird\x0bfourth\x0cfifth"

    assert paragraphs(pasted) == "First line\nsecond\nthird\nfourth\nfifth"


def test_longer_text_drops_what_xml_cannot_carry_but_keeps_tabs():
    assert paragraphs("  a\x00b\x01c\td\ufffe  ") == "abc\td"


def test_text_kept_before_these_rules_is_made_safe_for_the_feed():
    assert xml_safe("Sam\x0b Okafor\x00") == "Sam Okafor"
