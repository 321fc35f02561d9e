"""Catalog rules: reading a search from the URL, search words, title order, and query counts."""

import pytest

from firestorm.catalog.books import sort_key_for_title
from firestorm.search.queries import CatalogQuery
from firestorm.search.terms import terms_of
from firestorm.typed_text import fold


def test_a_query_string_is_read_into_a_sensible_search():
    query = CatalogQuery.from_args(
        {"q": "  le   guin ", "in_stock": "1", "sort": "newest", "page": "2"}, max_length=200
    )

    assert query == CatalogQuery(text="le guin", in_stock_only=True, sort="newest", page=2)


@pytest.mark.parametrize(
    "args",
    [
        {"page": "-3"},
        {"page": "0"},
        {"page": "x"},
        {"page": "1e3"},
        {"page": "9" * 30},
        {"sort": "drop"},
        {"in_stock": "perhaps"},
    ],
)
def test_nonsense_arguments_fall_back_to_the_defaults(args):
    assert CatalogQuery.from_args(args, max_length=200) == CatalogQuery()


def test_links_to_other_pages_keep_the_search_but_leave_out_defaults():
    query = CatalogQuery(text="zine", in_stock_only=True, sort="relevance", page=1)

    assert query.url_args(page=2) == {"q": "zine", "page": 2, "in_stock": "1"}
    assert query.url_args(sort="title") == {"q": "zine", "sort": "title", "in_stock": "1"}
    assert CatalogQuery().url_args() == {}


def test_relevance_is_the_sort_unless_another_is_asked_for():
    assert CatalogQuery.from_args({"q": "zine"}, max_length=200).sort == "relevance"
    assert CatalogQuery.from_args({"q": "zine", "sort": "title"}, max_length=200).sort == "title"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Raúl  ZIBECHI", ["raul", "zibechi"]),
        ("978-1-84935-011-2", ["9781849350112"]),
        ("1-84935-011-6", ["1849350116"]),
        ("978-0-06 dispossessed", ["978006", "dispossessed"]),
        ("", []),
        ("-", []),
        ("%%_\\", []),
        ("anarchism - a history", ["anarchism", "a", "history"]),
        ("People's", ["people", "s"]),
    ],
)
def test_search_words_ignore_case_accents_and_hyphens_in_isbns(typed, words):
    assert [term.word for term in terms_of(typed)] == words


def test_titles_sort_as_shelves_do():
    assert sort_key_for_title("The Dispossessed") == "dispossessed"
    assert sort_key_for_title("A People's History") == "people's history"
    assert sort_key_for_title("Anarchy Works") == "anarchy works"
    assert fold("Élan") == "elan"


# --- No page makes one query per book or review ---------------------------------------------


def queries_for(client, count_queries, path) -> int:
    # Counted as a page is usually asked for: with the schedule the process keeps until
    # something changes (web/clock.py) already kept.
    client.get(path)
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_catalog_makes_the_same_queries_for_one_book_or_a_full_page(
    client, make_book, count_queries
):
    make_book("Only one", authors=["First Author", "Second Author"])
    with_one = queries_for(client, count_queries, "/books")
    for n in range(10):
        make_book(f"Book {n}", authors=[f"Author {n}", f"Co-author {n}"])

    assert queries_for(client, count_queries, "/books") == with_one
    assert queries_for(client, count_queries, "/books?page=2&sort=reviewed") == with_one


def test_a_book_page_makes_the_same_queries_for_one_review_or_many(
    client, make_book, make_user, publish_review, count_queries
):
    book = make_book(authors=["One", "Two", "Three"])
    publish_review(book, make_user())
    with_one = queries_for(client, count_queries, f"/books/{book.id}")
    for _ in range(5):
        publish_review(book, make_user())

    assert queries_for(client, count_queries, f"/books/{book.id}") == with_one


def test_the_home_page_makes_the_same_queries_however_many_books(
    client, make_book, make_user, publish_review, count_queries
):
    publish_review(make_book(), make_user())
    # A reviewed book is not repeated among the new arrivals: one more, so neither list is empty.
    make_book("Not Reviewed Yet")
    with_one = queries_for(client, count_queries, "/")
    reviewer = make_user()
    for n in range(10):
        publish_review(make_book(f"Book {n}", authors=[f"A{n}", f"B{n}"]), reviewer)

    assert queries_for(client, count_queries, "/") == with_one
