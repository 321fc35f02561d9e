"""Searching the catalog as people type: other forms of a word, beginnings, accents,
misspellings ("Did you mean …?"), ISBNs, ranking, and what each list finds. Runs on SQLite,
and on PostgreSQL when FIRESTORM_TEST_DATABASE_URL points at one (make test-postgres)."""

from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from book_list_helpers import titles_on
from review_helpers import page_text
from shelf_helpers import add_shelves, hide, shelve

START = datetime(2026, 1, 1, tzinfo=UTC)
BOOKS = [
    # title, subtitle, authors, publisher, ISBN, description
    (
        "Dispersing Power",
        "Social Movements as Anti-State Forces",
        ["Raúl Zibechi"],
        "AK Press",
        "9781849350112",
        "How the Aymara neighbourhoods of El Alto organize without a state.",
    ),
    (
        "Debt",
        "The First 5,000 Years",
        ["David Graeber"],
        "Melville House",
        "9781933633862",
        "A history of credit, from the first cities to the present.",
    ),
    (
        "Anarchy Works",
        "",
        ["Peter Gelderloos"],
        "Ardent Press",
        None,
        "Examples of organization without bosses, from history and from today.",
    ),
    (
        "Anarchism and Other Essays",
        "",
        ["Emma Goldman"],
        "Dover",
        "9780486484723",
        "Essays on freedom, prisons and the ballot.",
    ),
    (
        "The Dispossessed",
        "An Ambiguous Utopia",
        ["Ursula K. Le Guin"],
        "Harper Perennial",
        "9780061054884",
        "A physicist leaves the anarchist moon Anarres. Its people read Graeber avant la lettre.",
    ),
    (
        "Mutual Aid",
        "Building Solidarity During This Crisis (and the Next)",
        ["Dean Spade"],
        "Verso",
        "9781839762123",
        "How neighbours care for each other: the anarchism of everyday life.",
    ),
    ("Emergent Strategy", "", ["adrienne maree brown"], "AK Press", None, ""),
]


@pytest.fixture
def catalog(app, make_book):
    """Seven books added a day apart, three of them on shelves."""
    books = {
        title: make_book(
            title,
            subtitle=subtitle,
            authors=authors,
            publisher=publisher,
            isbn13=isbn13,
            description=description,
            stock=1,
            created_at=START + timedelta(days=n),
        )
        for n, (title, subtitle, authors, publisher, isbn13, description) in enumerate(BOOKS)
    }
    add_shelves(app, "Latin America", "Science Fiction")
    shelve(app, books["Dispersing Power"], "Latin America")
    shelve(app, books["The Dispossessed"], "Science Fiction")
    return books


def search(client, typed: str, **args) -> list[str]:
    response = client.get("/books", query_string={"q": typed, **args})
    assert response.status_code == 200
    return titles_on(response)


def correction_link(response) -> str | None:
    """Where the "Did you mean …?" link leads, if the page has one."""
    text = response.get_data(as_text=True)
    if 'class="did-you-mean"' not in text:
        return None
    return unescape(text.split('class="did-you-mean"')[1].split('href="')[1].split('"')[0])


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("anarchy", {"Anarchy Works", "Anarchism and Other Essays"}),
        ("anarchism", {"Anarchy Works", "Anarchism and Other Essays"}),
        ("anarchists", {"Anarchy Works", "Anarchism and Other Essays"}),
        ("organizing", {"Dispersing Power", "Anarchy Works"}),
        ("essay", {"Anarchism and Other Essays"}),
        ("movement", {"Dispersing Power"}),
        ("neighbourhood", {"Dispersing Power"}),
    ],
)
def test_other_forms_of_a_word_find_the_book(client, catalog, typed, found):
    assert found <= set(search(client, typed))


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("zibe", ["Dispersing Power"]),
        ("grae", ["Debt", "The Dispossessed"]),
        ("dispos", ["The Dispossessed"]),
        ("le gu", ["The Dispossessed"]),
        ("mutual ai", ["Mutual Aid"]),
    ],
)
def test_the_beginning_of_a_word_finds_it_while_typing(client, catalog, typed, found):
    assert search(client, typed) == found


@pytest.mark.parametrize("typed", ["raul", "Raúl", "RAÚL ZIBECHI", "zibéchi"])
def test_accents_are_ignored_in_the_books(client, catalog, typed):
    assert search(client, typed) == ["Dispersing Power"]


def test_accents_are_ignored_in_what_is_typed(client, catalog):
    assert search(client, "ádrienne mârée") == ["Emergent Strategy"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        # A letter off from five letters, two from nine: found at once, as typed.
        ("graber", ["Debt", "The Dispossessed"]),
        ("dispresing", ["Dispersing Power"]),
        ("Geldrloos", ["Anarchy Works"]),
        ("mutal aid", ["Mutual Aid"]),
        ("dispossesed utopa", ["The Dispossessed"]),
        ("gelderlose anarhcy", ["Anarchy Works"]),
    ],
)
def test_a_word_a_letter_or_two_off_finds_its_books_at_once(client, catalog, typed, found):
    response = client.get("/books", query_string={"q": typed})

    assert titles_on(response) == found
    assert correction_link(response) is None


def test_a_typo_is_forgiven_even_when_another_word_matched_as_typed(client, catalog):
    assert search(client, "raul zibechy") == ["Dispersing Power"]
    assert search(client, "ursula dispossesed") == ["The Dispossessed"]


def test_books_matching_as_typed_rank_above_those_matching_a_typo(client, app, make_book):
    make_book("Stores of the Town", description="Shops and stores.")
    make_book("Stories of the Town", description="Tales.")

    assert search(client, "stories")[0] == "Stories of the Town"
    assert search(client, "stores")[0] == "Stores of the Town"


@pytest.mark.parametrize(
    "typed",
    [
        # Four letters is too short to forgive a typo ("debt"); five letters forgive one.
        "dept",
        "grabr",
    ],
)
def test_short_words_and_words_further_off_find_nothing_at_once(client, catalog, typed):
    assert search(client, typed) == []


@pytest.mark.parametrize(
    ("typed", "corrected", "found"),
    [
        ("grabr", "graeber", "Debt"),
        ("dsprsing", "dispersing", "Dispersing Power"),
        ("Gldrloos", "gelderloos", "Anarchy Works"),
    ],
)
def test_a_word_further_off_offers_the_corrected_search(client, catalog, typed, corrected, found):
    response = client.get("/books", query_string={"q": typed})
    link = correction_link(response)

    assert titles_on(response) == []
    assert "Did you mean <a href=" in response.get_data(as_text=True)
    assert f">{corrected}</a>?" in response.get_data(as_text=True)
    assert found in titles_on(client.get(link))


def test_a_misspelled_word_is_found_one_way_or_the_other(client, catalog):
    """ "zibechy" is one letter off: its stem already finds the book, without a correction."""
    response = client.get("/books?q=zibechy")

    link = correction_link(response)
    found = titles_on(response) or titles_on(client.get(link))
    assert found == ["Dispersing Power"]


def test_the_correction_keeps_the_other_words_and_the_filters(client, catalog):
    response = client.get("/books?q=Raúl+dsprsing&in_stock=1&sort=title")

    link = correction_link(response)
    assert "Did you mean" in response.get_data(as_text=True)
    assert parse_qs(urlsplit(link).query) == {
        "q": ["Raúl dispersing"],
        "in_stock": ["1"],
        "sort": ["title"],
    }
    assert titles_on(client.get(link)) == ["Dispersing Power"]


@pytest.mark.parametrize(
    "args",
    [
        {"q": "zzzzzzz"},
        {"q": "dept"},
        {"q": "12345678"},
        # "dispersing" is one letter away, but no book on that shelf has it.
        {"q": "dispresing", "shelf": "science-fiction"},
    ],
)
def test_no_correction_is_offered_that_would_find_nothing_or_for_short_words(client, catalog, args):
    response = client.get("/books", query_string=args)

    assert titles_on(response) == []
    assert correction_link(response) is None


def test_nothing_found_says_so_and_offers_the_shelves(client, catalog):
    text = page_text(client.get("/books?q=cookbook"))

    assert "No books found matching “cookbook”" in text
    assert "Did you mean" not in text
    assert 'Or browse <a href="/shelves">our shelves</a>.' in text


@pytest.mark.parametrize(
    "typed",
    [
        "978-1-933633-86-2",
        "9781933633862",
        "1-933633-86-7",
        "1933633867",
        "ISBN 978-1-933633-86-2",
        " 978 1 933633 86 2 ",
    ],
)
def test_an_isbn_in_either_form_finds_just_its_book(client, catalog, typed):
    assert search(client, typed) == ["Debt"]


def test_the_beginning_of_an_isbn_finds_its_books(client, catalog):
    assert search(client, "978-1-9336") == ["Debt"]
    assert set(search(client, "97818")) == {"Mutual Aid", "Dispersing Power"}


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("aymara", ["Dispersing Power"]),
        ("solidarity", ["Mutual Aid"]),
        ("melville", ["Debt"]),
        ("latin america", ["Dispersing Power"]),
        ("science fiction", ["The Dispossessed"]),
        ("ambiguous utopia", ["The Dispossessed"]),
    ],
)
def test_descriptions_subtitles_publishers_and_shelf_names_are_searched(
    client, catalog, typed, found
):
    assert search(client, typed) == found


def test_title_and_author_matches_rank_above_description_matches(client, catalog):
    anarchism = search(client, "anarchism")
    graeber = search(client, "graeber")

    assert set(anarchism[:2]) == {"Anarchism and Other Essays", "Anarchy Works"}
    assert set(anarchism[2:]) == {"The Dispossessed", "Mutual Aid"}
    assert graeber == ["Debt", "The Dispossessed"]


def test_the_exact_word_ranks_above_its_other_forms(client, catalog):
    assert search(client, "anarchy")[0] == "Anarchy Works"
    assert search(client, "anarchism")[0] == "Anarchism and Other Essays"


def test_the_plain_sorts_still_order_a_search(client, catalog):
    assert search(client, "anarchism", sort="title") == [
        "Anarchism and Other Essays",
        "Anarchy Works",
        "The Dispossessed",
        "Mutual Aid",
    ]
    assert search(client, "anarchism", sort="newest") == [
        "Mutual Aid",
        "The Dispossessed",
        "Anarchism and Other Essays",
        "Anarchy Works",
    ]


def test_the_sort_menu_offers_relevance_first_and_selects_it(client, catalog):
    text = page_text(client.get("/books?q=anarchism"))

    options = text.split('<select id="catalog-sort"')[1].split("</select>")[0]
    assert options.index("Relevance") < options.index("Title")
    assert '<option value="relevance" selected>Relevance</option>' in options


def test_a_single_letter_matches_only_that_word(client, catalog):
    """One letter is too short a beginning: "a" is the word "a", not every word starting so."""
    assert search(client, "z") == []
    assert search(client, "k") == ["The Dispossessed"]


def test_text_with_no_letter_or_digit_finds_nothing(client, catalog):
    assert search(client, "%") == []
    assert search(client, "-- ,") == []


def test_the_shelf_filter_narrows_a_search(client, catalog):
    assert search(client, "anarchism", shelf="science-fiction") == ["The Dispossessed"]


def test_hidden_books_are_found_only_by_the_collective(client, app, catalog, login_as):
    hide(app, catalog["Debt"])

    assert search(client, "graeber") == ["The Dispossessed"]
    login_as("collective")
    desk = page_text(client.get("/collective/books?q=graeber"))
    assert "Debt" in desk and "The Dispossessed" in desk


def test_the_review_picker_uses_the_same_search(client, catalog, login_as):
    login_as()

    page = page_text(client.get("/my/books/choices?q=zibe"))
    ranked = page_text(client.get("/my/books/choices?q=anarchy"))

    assert "Dispersing Power</span> by Raúl Zibechi" in page
    assert ranked.index("Anarchy Works") < ranked.index("Mutual Aid")


def test_a_shelf_page_still_lists_its_books_by_title(client, app, catalog):
    shelve(app, catalog["Debt"], "Latin America")

    assert titles_on(client.get("/shelves/latin-america")) == ["Debt", "Dispersing Power"]


# --- Words written joined or apart, marks never required ----------------------------------------


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("black and white", "Black & White"),
        ("black & white", "Black & White"),
        ("salt & light", "Salt and Light"),
        ("salt and light", "Salt and Light"),
    ],
)
def test_and_and_the_ampersand_are_the_same_word(client, make_book, typed, title):
    make_book("Black & White")
    make_book("Salt and Light")

    assert search(client, typed) == [title]


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("sweet grass", "Braiding Sweetgrass"),
        ("braiding sweetgrass", "Braiding Sweetgrass"),
        ("leguin", "The Dispossessed"),
        ("le guin", "The Dispossessed"),
        ("anarchosyndicalism", "Anarcho-Syndicalism"),
        ("anarcho syndicalism", "Anarcho-Syndicalism"),
        ("anarcho-syndicalism", "Anarcho-Syndicalism"),
    ],
)
def test_words_written_joined_or_apart_are_found_either_way(
    client, catalog, make_book, typed, title
):
    make_book("Braiding Sweetgrass", authors=["Robin Wall Kimmerer"])
    make_book("Anarcho-Syndicalism", authors=["Rudolf Rocker"])

    assert search(client, typed) == [title]


def test_words_joined_in_a_description_are_found_apart_and_joined(client, make_book):
    make_book("Organize!", description="A history of anarcho-syndicalist unions.")

    assert search(client, "anarchosyndicalist") == ["Organize!"]
    assert search(client, "anarcho syndicalist") == ["Organize!"]


@pytest.mark.parametrize(
    "typed", ["dont mourn", "don't mourn", "peoples history", "people's history", "people’s"]
)
def test_apostrophes_are_never_required(client, make_book, typed):
    make_book("Don't Mourn, Organize!")
    make_book("A People's History of the United States")

    found = search(client, typed)
    assert found and set(found) <= {
        "Don't Mourn, Organize!",
        "A People's History of the United States",
    }
    assert len(found) == 1


def test_a_search_typed_as_written_ranks_above_one_found_joined(client, make_book):
    make_book("Sweetgrass Basketry")
    make_book("Sweet Grass Songs")

    assert search(client, "sweet grass") == ["Sweet Grass Songs", "Sweetgrass Basketry"]


# --- The catalog's language ----------------------------------------------------------------------


def test_a_catalog_in_another_language_finds_its_words_other_forms(
    client, app, make_book, monkeypatch
):
    monkeypatch.setitem(app.config, "CATALOG_LANGUAGE", "spanish")
    make_book("El trabajo y sus luchas")

    assert search(client, "trabajadores") == ["El trabajo y sus luchas"]
    assert search(client, "lucha") == ["El trabajo y sus luchas"]


def test_english_endings_are_not_cut_from_another_language_s_words(client, make_book):
    make_book("El trabajo y sus luchas")

    assert search(client, "trabajadores") == []


def test_a_language_search_cannot_stem_is_refused_in_words_when_the_site_starts(other_app):
    with pytest.raises(ValueError, match="CATALOG_LANGUAGE 'klingon' is not a language"):
        other_app(CATALOG_LANGUAGE="klingon")


def test_the_language_may_be_written_as_people_write_it(other_app):
    assert other_app(CATALOG_LANGUAGE=" Spanish ").config["CATALOG_LANGUAGE"] == "spanish"
