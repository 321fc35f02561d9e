"""The catalog page: search, the in-stock filter, sorting, pages, htmx and nonsense in the URL."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from firestorm.catalog import books
from firestorm.catalog.models import Book
from firestorm.database import db


def result_count(response) -> str:
    """What the line above the results says, as a person reads it."""
    text = response.get_data(as_text=True)
    line = text.split('class="result-count" role="status">')[1].split("</p>")[0]
    return " ".join(line.split())


def titles_on(response) -> list[str]:
    text = response.get_data(as_text=True)
    return [
        chunk.split("</a>")[0].split(">")[-1] for chunk in text.split('class="book-row-title"')[1:]
    ]


@pytest.fixture
def shelf(make_book):
    """A small shelf: five books, one out of stock, added a day apart."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    specs = [
        ("Dispersing Power", ["Raúl Zibechi"], "AK Press", "9781849350112", 2),
        ("The Dispossessed", ["Ursula K. Le Guin"], "Harper Perennial", "9780061054884", 3),
        ("Parable of the Sower", ["Octavia E. Butler"], "Grand Central", "9781538732182", 0),
        ("Mutual Aid", ["Dean Spade"], "Verso", "9781839762123", 1),
        ("A People's History of the United States", ["Howard Zinn"], "Harper", None, 4),
    ]
    return {
        title: make_book(
            title,
            authors=authors,
            publisher=publisher,
            isbn13=isbn13,
            stock=stock,
            created_at=start + timedelta(days=n),
        )
        for n, (title, authors, publisher, isbn13, stock) in enumerate(specs)
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dispersing", ["Dispersing Power"]),
        ("DISPOSSESSED", ["The Dispossessed"]),
        ("raul zibechi", ["Dispersing Power"]),
        ("le guin", ["The Dispossessed"]),
        ("verso", ["Mutual Aid"]),
        ("978-1-84935-011-2", ["Dispersing Power"]),
        ("9781849350112", ["Dispersing Power"]),
        ("978 1 84935 011 2", ["Dispersing Power"]),
        ("1849350116", ["Dispersing Power"]),
        ("ISBN 978-1-84935-011-2", ["Dispersing Power"]),
        ("ISBN-10: 1-84935-011-6", ["Dispersing Power"]),
        ("978-0-06", ["The Dispossessed"]),
    ],
)
def test_search_finds_books_by_title_author_publisher_and_isbn(client, shelf, query, expected):
    response = client.get("/books", query_string={"q": query})

    assert response.status_code == 200
    assert titles_on(response) == expected


def test_a_search_with_no_match_says_so_and_suggests_what_to_do(client, shelf):
    text = client.get("/books?q=cookbook").get_data(as_text=True)

    assert "No books found matching “cookbook”" in text
    assert "we can order most books" in text


def test_in_stock_only_hides_books_that_are_out_of_stock(client, shelf):
    response = client.get("/books?in_stock=1&sort=title")

    assert "Parable of the Sower" not in titles_on(response)
    assert len(titles_on(response)) == 4


def test_sorting_by_title_ignores_a_leading_the_or_a(client, shelf):
    response = client.get("/books?sort=title")

    assert titles_on(response) == [
        "Dispersing Power",
        "The Dispossessed",
        "Mutual Aid",
        "Parable of the Sower",
        "A People&#39;s History of the United States",
    ]


def test_sorting_by_newest_puts_the_latest_arrival_first(client, shelf):
    assert titles_on(client.get("/books?sort=newest"))[:2] == [
        "A People&#39;s History of the United States",
        "Mutual Aid",
    ]


def test_sorting_by_recently_reviewed_puts_reviewed_books_first(
    client, shelf, make_user, publish_review
):
    reviewer = make_user()
    publish_review(shelf["Mutual Aid"], reviewer, published_at=datetime(2026, 3, 1, tzinfo=UTC))
    publish_review(
        shelf["The Dispossessed"], reviewer, published_at=datetime(2026, 5, 1, tzinfo=UTC)
    )

    assert titles_on(client.get("/books?sort=reviewed"))[:3] == [
        "The Dispossessed",
        "Mutual Aid",
        "Dispersing Power",
    ]


def test_results_come_in_pages_with_links_that_keep_the_search(client, make_book):
    for n in range(12):
        make_book(f"Zine number {n:02d}", stock=1)

    first = client.get("/books?q=zine&in_stock=1").get_data(as_text=True)
    third = client.get("/books?q=zine&in_stock=1&page=3")

    assert "12 books matching “zine”, in stock · page 1 of 3" in first
    next_link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert parse_qs(urlsplit(next_link).query) == {"q": ["zine"], "in_stock": ["1"], "page": ["2"]}
    assert titles_on(third) == ["Zine number 10", "Zine number 11"]
    assert "← Previous page" in third.get_data(as_text=True)
    assert "Next page" not in third.get_data(as_text=True)


def test_htmx_gets_just_the_results_and_caches_are_told(client, shelf):
    response = client.get(
        "/books?q=mutual", headers={"HX-Request": "true", "HX-Request-Type": "partial"}
    )

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in text and "store-header" not in text
    assert "1 book matching “mutual”" in text
    assert "HX-Request-Type" in response.vary


def test_the_full_page_also_varies_on_hx_request(client):
    assert "HX-Request-Type" in client.get("/books").vary


def test_the_search_form_works_without_javascript(client, shelf):
    text = client.get("/books?q=mutual").get_data(as_text=True)

    assert '<form id="catalog-search"' in text
    assert 'action="/books" method="get"' in text
    assert 'value="mutual"' in text
    assert "1 book matching “mutual”" in text


EVERY_BOOK_BY_TITLE = [
    "Dispersing Power",
    "The Dispossessed",
    "Mutual Aid",
    "Parable of the Sower",
    "A People&#39;s History of the United States",
]


@pytest.mark.parametrize(
    ("query_string", "count", "titles"),
    [
        ("page=-3", "5 books", EVERY_BOOK_BY_TITLE),
        ("page=0", "5 books", EVERY_BOOK_BY_TITLE),
        ("page=abc", "5 books", EVERY_BOOK_BY_TITLE),
        ("page=99999999999999999999", "5 books", EVERY_BOOK_BY_TITLE),
        ("page=%C2%B2", "5 books", EVERY_BOOK_BY_TITLE),
        ("sort=drop", "5 books", EVERY_BOOK_BY_TITLE),
        ("sort=title;DROP TABLE books", "5 books", EVERY_BOOK_BY_TITLE),
        ("in_stock=maybe", "5 books", EVERY_BOOK_BY_TITLE),
        ("q=" + "x" * 10_000, f"No books found matching “{'x' * 200}”", []),
        ("q=%25%25_%5C", "No books found matching “%%_\\”", []),
        ("q=%00", "5 books", EVERY_BOOK_BY_TITLE),
        ("q=&q=&sort=", "5 books", EVERY_BOOK_BY_TITLE),
    ],
)
def test_nonsense_in_the_query_string_still_gives_a_sensible_page(
    client, shelf, query_string, count, titles
):
    response = client.get(f"/books?{query_string}")

    assert response.status_code == 200
    assert "<h1>Books</h1>" in response.get_data(as_text=True)
    assert result_count(response) == count
    assert titles_on(response) == titles


def test_a_page_past_the_end_shows_the_last_page(client, make_book):
    for n in range(12):
        make_book(f"Zine number {n:02d}")

    response = client.get("/books?page=40")

    assert response.status_code == 200
    assert result_count(response) == "12 books · page 3 of 3"
    assert titles_on(response) == ["Zine number 10", "Zine number 11"]
    assert "Next page" not in response.get_data(as_text=True)


def test_a_very_long_search_is_cut_to_a_readable_length(client, shelf):
    text = client.get("/books?q=" + "dispersing " * 1000).get_data(as_text=True)

    kept = " ".join(["dispersing"] * 1000)[:200]
    assert f'value="{kept}"' in text
    assert "Dispersing Power" in text


def test_percent_and_underscore_are_searched_literally(client, shelf):
    assert "No books found" in client.get("/books?q=%25").get_data(as_text=True)
    assert "No books found" in client.get("/books?q=_").get_data(as_text=True)


def test_a_mistyped_isbn_says_so_and_offers_the_book_one_digit_away(app, client, shelf, make_book):
    hidden = make_book("Hidden", isbn13="9781849340113")
    with app.app_context():
        books.set_hidden(db.session.get(Book, hidden.id), True)
        db.session.commit()

    response = client.get("/books?q=978-1-84935-011-3")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "“978-1-84935-011-3” looks like an ISBN, but its last digit doesn't match" in page
    assert "This book&#39;s ISBN differs from it by one digit:" in page
    offered = page.split('class="mistyped-isbn"')[1].split("</div>")[0]
    assert f'href="/books/{shelf["Dispersing Power"].id}">Dispersing Power</a>' in offered
    assert "978-1-84935-011-2" in offered
    assert "Hidden" not in offered, "hidden books stay hidden"


def test_a_mistyped_isbn_with_nothing_near_says_so_alone(client, shelf):
    page = client.get("/books?q=978-0-00-000000-1").get_data(as_text=True)

    assert "looks like an ISBN, but its last digit doesn't match" in page
    assert "differs from it by one digit" not in page
    assert "mistyped-isbn" not in client.get("/books?q=978-1-84935-011-2").get_data(as_text=True)
