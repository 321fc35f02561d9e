"""What people type or paste is kept without the characters databases and feeds refuse; numbers
are read one way everywhere (form fields, query strings, CSV cells)."""

import pytest

from firestorm.typed_text import one_line, paragraphs, whole_number, xml_safe


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


@pytest.mark.parametrize(
    ("typed", "number"),
    [("7", 7), (" 7 ", 7), ("+7", 7), ("-7", -7), ("007", 7), ("0", 0), ("9" * 18, 10**18 - 1)],
)
def test_a_whole_number_is_read_with_its_sign_and_the_spaces_around_it_forgiven(typed, number):
    assert whole_number(typed) == number


@pytest.mark.parametrize(
    "typed",
    [
        None,
        "",
        "  ",
        "two",
        "1.5",
        "1e3",
        "1_000",
        "1 000",
        "--1",
        "+ 1",
        "0x1F",
        "١٢",
        "１２",
        "²",
    ],
)
def test_anything_else_is_no_number(typed):
    assert whole_number(typed) is None


def test_a_number_longer_than_its_digits_is_no_number_and_never_read():
    # Python's int() refuses over 4,300 digits with an error: nothing typed reaches it.
    assert whole_number("9" * 5000) is None
    assert whole_number("123456", digits=5) is None
    assert whole_number("-12345", digits=5) == -12345
