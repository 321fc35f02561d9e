"""What of a shelf-talker's words fits on its card (firestorm/shelf_talkers/fitting.py): the
quote cut to the lines the title, authors, price and reviewer leave. That the printed cards
keep their words inside them: tests/browser/test_printing.py."""

from firestorm.shelf_talkers.fitting import AND_OTHERS, QUOTE, fit_card, within_lines

REVIEW = (
    "How people organise themselves in the neighbourhoods of El Alto, without asking a state "
    "for permission, told by someone who lived there for years. The councils meet, the markets "
    "open, the water gets shared, and nobody is in charge of it all. A patient, generous book."
)
ONE_LINE = "Dispersing Power"
THREE_LINES = "Everything We Built Together: The Unabridged Handbook of Tenant Unions and Kitchens"
AUTHORS = ["Raúl Zibechi"]


def card(title=ONE_LINE, authors=AUTHORS, has_price=True, words=REVIEW, reviewer="Sam"):
    return fit_card(title, authors, has_price, words, reviewer, most_chars=260)


def test_a_short_review_is_quoted_whole():
    assert card(words="Short and kind.").excerpt == "Short and kind."


def test_the_longer_the_title_the_less_of_the_review_is_quoted():
    short_title, long_title = card(ONE_LINE), card(THREE_LINES)

    assert long_title.title == THREE_LINES
    assert len(long_title.excerpt) < len(short_title.excerpt) < len(REVIEW)
    for fitted in (short_title, long_title):
        shown = fitted.excerpt.removesuffix("…")
        assert fitted.excerpt.endswith("…") and REVIEW.startswith(shown)
        assert not REVIEW[len(shown)].isalpha(), "cut inside a word"


def test_a_price_line_and_a_long_reviewer_name_leave_less_room_for_the_quote():
    plain = card(has_price=False, reviewer="Sam")

    assert len(card(has_price=True).excerpt) <= len(plain.excerpt)
    assert len(card(reviewer="Alexandria Montgomery-Featherstonehaugh " * 2).excerpt) < len(
        plain.excerpt
    )


def test_a_title_past_four_lines_is_cut_at_a_word_and_the_quote_keeps_a_line():
    title = "Kitchens, Councils and Markets: " * 8

    fitted = card(title)

    assert fitted.title.endswith("…") and len(fitted.title) < len(title)
    assert title.startswith(fitted.title.removesuffix("…"))
    assert fitted.excerpt, "at least a line of the review"


def test_authors_past_two_lines_end_with_and_others_the_first_always_kept():
    many = [f"Author Number {n} Longname-Example" for n in range(1, 9)]

    fitted = card(authors=many)

    assert fitted.authors[0] == many[0] and fitted.authors[-1] == AND_OTHERS
    assert 1 < len(fitted.authors) < len(many)
    assert card(authors=many[:2]).authors == many[:2]
    assert card(authors=["A" * 200]).authors == ["A" * 200]


def test_text_cut_to_lines_leaves_room_for_its_marks_and_the_ellipsis():
    text, lines = within_lines(REVIEW, QUOTE, 2, marks=2)

    assert lines == 2 and text.endswith("…")
    assert len(text) + 2 <= 2 * QUOTE.chars
    assert within_lines("Short and kind.", QUOTE, 2) == ("Short and kind.", 1)
