"""Shelf-talkers, /collective/shelf-talkers (firestorm/collective/shelf_talker_routes.py): who
may open them; choosing published reviews with a GET form that changes nothing; the sheet's
cards with their excerpt and QR code; unknown or unpublished reviews refused in words; the links
that preselect a review from the queue and the book page. Printing itself: tests/browser/
test_printing.py."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from html_checks import PageElements, check_html, describe_html_errors, save_responses
from page_reading import words_in
from review_helpers import approve_path, as_drawn, page_text
from shelf_helpers import hide

from firestorm.reviews.models import ReviewState

PICKER = "/collective/shelf-talkers"
SHEET = "/collective/shelf-talkers/sheet"
# Longer than a card's excerpt (260 characters), so the card shows the start of it.
LONG_REVIEW = (
    "How people *organise themselves* in the neighbourhoods of El Alto, without asking a state "
    "for permission, told by someone who lived there for years. The councils meet, the markets "
    "open, the water gets shared, and nobody is in charge of it all. A patient, generous book: "
    "read it slowly, then lend it to a neighbour."
)


@pytest.fixture
def reviewed(make_book, make_user, publish_review):
    """Two published reviews (Sam's of Dispersing Power, Robin's of Emergent Strategy) and one
    still waiting in the queue (Robin's of Pleasure Activism)."""
    sam, robin = make_user(display_name="Sam Reviewer"), make_user(display_name="Robin")
    dispersing = make_book("Dispersing Power", authors=["Raúl Zibechi"])
    emergent = make_book("Emergent Strategy", authors=["adrienne maree brown"])
    return {
        "dispersing": publish_review(dispersing, sam, body=LONG_REVIEW),
        "emergent": publish_review(emergent, robin, body="Short and *kind*."),
        "robin": robin,
    }


@pytest.fixture
def waiting(review_of, make_book, reviewed):
    book = make_book("Pleasure Activism", authors=["adrienne maree brown"])
    return review_of(reviewed["robin"], state=ReviewState.SUBMITTED, book=book)


def card_titles(response) -> list[str]:
    return [
        words_in(title)
        for title in re.findall(r'<h2[^>]*class="talker-title">(.*?)</h2>', page_text(response))
    ]


def checked_reviews(response) -> list[str]:
    return [
        attrs["value"]
        for tag, attrs in PageElements(page_text(response)).elements
        if tag == "input" and attrs.get("name") == "review" and "checked" in attrs
    ]


# --- Who may -----------------------------------------------------------------------------------


def test_strangers_are_sent_to_sign_in(client, reviewed):
    for path in (PICKER, f"{SHEET}?review={reviewed['dispersing'].id}"):
        response = client.get(path)

        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login"
        assert parse_qs(location.query)["next"] == [path]


def test_volunteers_are_refused(client, login_as, reviewed):
    login_as("volunteer")

    for path in (PICKER, f"{SHEET}?review={reviewed['dispersing'].id}"):
        assert "That page isn&#39;t open to you" in page_text(client.get(path), status=403)


# --- Choosing ----------------------------------------------------------------------------------


def test_members_see_the_published_reviews_to_choose_from_and_the_paper(
    client, login_as, reviewed, waiting
):
    login_as("collective")

    response = client.get(PICKER)

    words = words_in(page_text(response))
    assert response.status_code == 200
    assert "Emergent Strategy by adrienne maree brown — reviewed by Robin" in words
    assert "Dispersing Power by Raúl Zibechi — reviewed by Sam Reviewer" in words
    assert "Pleasure Activism" not in words
    assert "Letter (8.5 × 11 in)" in words and "A4 (210 × 297 mm)" in words
    assert checked_reviews(response) == []


def test_a_search_finds_reviews_by_their_books_and_keeps_the_ticks(client, login_as, reviewed):
    login_as("collective")
    emergent = reviewed["emergent"].id

    response = client.get(f"{PICKER}?q=zibechi&review={emergent}&paper=a4")

    words = words_in(page_text(response))
    assert "Dispersing Power by Raúl Zibechi" in words
    assert "Chosen (1) Emergent Strategy" in words
    assert checked_reviews(response) == [str(emergent)]
    assert 'id="paper-a4" name="paper" value="a4" checked' in page_text(response)


def test_a_search_that_finds_nothing_says_so(client, login_as, reviewed):
    login_as("collective")

    response = client.get(f"{PICKER}?q=cookbook")

    assert "No other published review of a book matching “cookbook”." in words_in(
        page_text(response)
    )


def test_with_nothing_published_the_page_says_what_will_come(client, login_as):
    login_as("collective")

    response = client.get(PICKER)

    assert "No published reviews yet" in words_in(page_text(response))


def test_the_list_comes_a_page_at_a_time_and_the_buttons_carry_the_ticks(
    client, login_as, make_book, make_user, publish_review
):
    reviewer = make_user(display_name="Robin")
    ids = [publish_review(make_book(f"Book {number:02}"), reviewer).id for number in range(1, 23)]
    login_as("collective")

    first = page_text(client.get(f"{PICKER}?review={ids[0]}"))
    second = client.get(f"{PICKER}?review={ids[0]}&page=2")

    assert "Page 1 of 2" in words_in(first)
    assert (
        '<button type="submit" formaction="/collective/shelf-talkers" name="page" value="2"'
        in first
    )
    assert "Page 2 of 2" in words_in(page_text(second))
    assert checked_reviews(second) == [str(ids[0])]


def test_reviews_of_hidden_books_are_not_offered(app, client, login_as, reviewed, make_book):
    hide(app, make_book("Secret", authors=["Nobody"]))
    login_as("collective")

    assert "Secret" not in words_in(page_text(client.get(PICKER)))


def test_choosing_changes_nothing(client, login_as, reviewed, count_queries):
    login_as("collective")
    path = f"{SHEET}?review={reviewed['dispersing'].id}"

    with count_queries() as statements:
        client.get(path)
        client.get(f"{PICKER}?review={reviewed['emergent'].id}&q=x")

    writes = [s for s in statements if re.match(r"\s*(INSERT|UPDATE|DELETE)", s, re.I)]
    assert writes == []


# --- The sheet ---------------------------------------------------------------------------------


def test_the_sheet_has_a_card_for_each_chosen_review_in_the_order_chosen(
    client, login_as, reviewed
):
    login_as("collective")
    ids = [reviewed["emergent"].id, reviewed["dispersing"].id]

    response = client.get(f"{SHEET}?review={ids[0]}&review={ids[1]}")

    assert response.status_code == 200
    assert card_titles(response) == ["Emergent Strategy", "Dispersing Power"]
    words = words_in(page_text(response))
    assert "2 cards on 1 sheet of Letter paper" in words
    assert "“Short and kind.” — Robin Firestorm Cafe & Books" in words


def test_a_card_shows_the_start_of_the_review_cut_at_a_word(client, login_as, reviewed):
    login_as("collective")

    response = client.get(f"{SHEET}?review={reviewed['dispersing'].id}")

    excerpt = re.search(r'class="talker-excerpt"><p>“(.*?)”</p>', page_text(response)).group(1)
    assert excerpt.startswith("How people organise themselves in the neighbourhoods")
    assert excerpt.endswith("…") and len(excerpt) <= 260
    words = LONG_REVIEW.replace("*", "")
    shown = excerpt.removesuffix("…")
    assert words.startswith(shown)
    assert not words[len(shown)].isalpha(), "cut inside a word"


def test_each_card_carries_a_qr_code_to_the_book_page_drawn_without_style_or_script(
    client, login_as, reviewed
):
    login_as("collective")
    book_id = reviewed["dispersing"].book_id

    page = page_text(client.get(f"{SHEET}?review={reviewed['dispersing'].id}&paper=a4"))

    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert 'aria-hidden="true"' in svg and 'class="qr-code"' in svg
    assert "<?xml" not in page and "style=" not in svg and "<script" not in svg
    assert f"books.example.org/books/{book_id}" in words_in(page)
    assert 'class="talker-sheets talker-sheets-a4"' in page


def test_the_qr_code_encodes_the_absolute_address_of_the_book_page(app, reviewed):
    """The same SVG segno draws for the address the card prints beside it."""
    import segno

    from firestorm.shelf_talkers.qr import qr_svg

    url = f"https://books.example.org/books/{reviewed['dispersing'].book_id}"
    expected = segno.make(url, error="m").svg_inline(
        omitsize=True, svgclass="qr-code", lineclass=None
    )

    assert qr_svg(url).endswith(expected[len("<svg ") :])


def test_a_card_shows_the_published_text_while_a_revision_waits(
    app, client, login_as, reviewed, submit
):
    robin = reviewed["robin"]
    submit(robin, body="A different text entirely. " * 5, review_id=reviewed["emergent"].id)
    login_as("collective")

    page = page_text(client.get(f"{SHEET}?review={reviewed['emergent'].id}"))

    assert "“Short and kind.”" in words_in(page) and "different" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Choose at least one review to print."),
        ("review=999999", "One of the chosen reviews is not published, or not any more"),
        ("review=abc", "One of the chosen reviews is not published, or not any more"),
        ("review=99999999999999999999", "One of the chosen reviews is not published"),
        ("review=-3&review=0", "2 of the chosen reviews are not published"),
        # Past the 4,300 digits Python's int() reads at all.
        ("review=" + "9" * 5000, "One of the chosen reviews is not published"),
    ],
    ids=[
        "none",
        "unknown",
        "not-a-number",
        "too-large",
        "negative-and-zero",
        "thousands-of-digits",
    ],
)
def test_a_sheet_that_cannot_be_printed_is_refused_in_words(
    client, login_as, reviewed, query, message
):
    login_as("collective")
    emergent = reviewed["emergent"].id
    query = f"{query}&review={emergent}" if query else query

    response = client.get(f"{SHEET}?{query}")

    assert response.status_code == 422
    assert message in words_in(page_text(response))
    assert card_titles(response) == []
    assert checked_reviews(response) == ([str(emergent)] if query else [])


def test_a_review_still_waiting_for_approval_is_refused(client, login_as, reviewed, waiting):
    login_as("collective")

    response = client.get(f"{SHEET}?review={waiting}&review={reviewed['emergent'].id}")

    assert response.status_code == 422
    assert "not published" in words_in(page_text(response))
    assert checked_reviews(response) == [str(reviewed["emergent"].id)]


def test_at_most_48_cards_at_a_time(client, login_as, reviewed):
    login_as("collective")
    query = "&".join(f"review={number}" for number in range(1, 50))

    response = client.get(f"{SHEET}?{query}")

    assert response.status_code == 422
    assert "print at most 48 at a time (8 sheets)" in words_in(page_text(response))


# --- Where members find it ---------------------------------------------------------------------


def test_a_review_just_published_in_the_queue_links_to_its_shelf_talker(
    app, client, as_member, people, submit, post
):
    review_id = submit(people["robin"])
    as_member(people["sam"])
    assert f'href="{PICKER}"' in page_text(client.get("/collective/queue"))

    response = post(approve_path(review_id), as_drawn(app, review_id), htmx=True)

    assert response.status_code == 200
    assert f'href="{PICKER}?review={review_id}"' in page_text(response)


def test_members_find_print_links_beside_each_review_on_the_book_page(client, login_as, reviewed):
    book_id = reviewed["dispersing"].book_id
    link = f'href="{PICKER}?review={reviewed["dispersing"].id}"'
    assert link not in page_text(client.get(f"/books/{book_id}"))
    login_as("volunteer")
    assert link not in page_text(client.get(f"/books/{book_id}"))

    login_as("collective")
    response = client.get(f"/books/{book_id}")

    assert link in page_text(response)
    assert "Print a shelf-talker of Sam Reviewer's review" in words_in(page_text(response))


def test_a_preselected_review_comes_ticked(client, login_as, reviewed):
    login_as("collective")

    response = client.get(f"{PICKER}?review={reviewed['dispersing'].id}")

    assert checked_reviews(response) == [str(reviewed["dispersing"].id)]


# --- Valid HTML --------------------------------------------------------------------------------


def test_the_shelf_talker_pages_are_valid_html(
    tmp_path, client, login_as, reviewed, nu_html_checker
):
    login_as("collective")
    ids = f"review={reviewed['emergent'].id}&review={reviewed['dispersing'].id}"
    pages = {
        "picker": client.get(f"{PICKER}?review={reviewed['emergent'].id}"),
        "search": client.get(f"{PICKER}?q=nothing+matches"),
        "refused": client.get(f"{SHEET}?review=123456"),
        "sheet": client.get(f"{SHEET}?{ids}&paper=a4"),
    }

    errors = check_html(nu_html_checker, save_responses(pages, tmp_path))

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
