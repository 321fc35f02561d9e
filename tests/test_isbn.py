"""ISBNs as people type them, and as the book page shows them."""

import pytest

from firestorm.catalog import isbn
from firestorm.catalog.isbn import hyphenated, isbn10, to_isbn13


@pytest.mark.parametrize(
    "typed",
    ["9781849350112", "978-1-84935-011-2", "978 1 84935 011 2", "1849350116", "1-84935-011-6"],
)
def test_any_common_spelling_of_an_isbn_becomes_the_isbn13(typed):
    assert to_isbn13(typed) == "9781849350112"


@pytest.mark.parametrize("typed", ["9781849350113", "1849350117", "dispersing", "", "97818493"])
def test_a_wrong_check_digit_or_not_an_isbn_is_refused(typed):
    assert to_isbn13(typed) is None


def test_the_book_page_shows_the_isbn_hyphenated_as_printed():
    assert hyphenated("9781849350112") == "978-1-84935-011-2"


def test_only_978_isbns_have_a_ten_digit_form():
    assert isbn10("9781849350112") == "1849350116"
    assert isbn10("9791032305690") is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("978-1-84935-011-3", "9781849350112"),  # the check digit mistyped
        ("978-1-84935-021-2", "9781849350112"),  # another digit mistyped
        ("ISBN 1-84935-011-7", "9781849350112"),  # an ISBN-10's check digit
        ("1-84935-012-6", "9781849350112"),  # an ISBN-10's digit
    ],
)
def test_an_isbn_one_digit_wrong_offers_what_was_meant(typed, meant):
    candidates = isbn.one_digit_away(typed)

    assert meant in candidates
    assert all(isbn.to_isbn13(candidate) == candidate for candidate in candidates)
    assert len(candidates) <= 13


@pytest.mark.parametrize("typed", ["978-1-84935-011-2", "not an isbn", "12345", ""])
def test_only_an_isbn_whose_last_digit_does_not_match_has_candidates(typed):
    assert isbn.one_digit_away(typed) == []
    assert not isbn.has_wrong_check_digit(typed)
