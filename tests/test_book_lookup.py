"""Looking a book up by its ISBN (firestorm/book_lookup/): Open Library's answers read into the
book form's terms, every way it can fail said in words, and answers kept. Against the local
stand-in (tests/open_library_stand_in.py): no test touches the internet."""

import json
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from cover_images import jpeg
from open_library_stand_in import (
    CUT_OFF,
    DRIP,
    ELSEWHERE,
    HUGE,
    JUNK,
    LIST,
    LOOP,
    SERVER_ERROR,
    SLOW,
)
from server_helpers import free_port
from sqlalchemy import select

from firestorm.book_lookup import lookups
from firestorm.book_lookup.models import BookLookup
from firestorm.book_lookup.open_library import Outcome, Source
from firestorm.database import db

ISBN = "9781849350112"
NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
KEPT = timedelta(days=30)

DISPERSING_POWER = {
    "title": "Dispersing  Power",
    "subtitle": "Social Movements as Anti-State Forces",
    "authors": [{"key": "/authors/OL1A"}, {"key": "/authors/OL2A"}],
    "publishers": ["AK Press", "Another"],
    "publish_date": "July 1, 2010",
    "number_of_pages": 160,
    "description": {"type": "/type/text", "value": "How the Aymara of El Alto organise."},
    "works": [{"key": "/works/OL1W"}],
}


@pytest.fixture
def source(open_library):
    return Source(open_library.url, open_library.url, 1.0, "Firestorm catalog (test)")


@pytest.fixture
def authors(open_library):
    open_library.authors["/authors/OL1A"] = {"name": "Raúl Zibechi"}
    open_library.authors["/authors/OL2A"] = {"name": "Ramor Ryan"}


def look_up(in_app, source, isbn13=ISBN, now=NOW):
    with in_app():
        return lookups.looked_up(isbn13, source, now, KEPT)


def test_an_edition_is_read_into_the_forms_terms_with_its_authors_and_cover(
    in_app, open_library, source, authors
):
    open_library.add(ISBN, DISPERSING_POWER, jpeg((400, 600)))

    answer = look_up(in_app, source)

    assert answer.outcome == Outcome.FOUND and answer.has_cover
    book = answer.book
    assert (book.title, book.subtitle) == (
        "Dispersing Power",
        "Social Movements as Anti-State Forces",
    )
    assert book.authors == ("Raúl Zibechi", "Ramor Ryan")
    assert (book.publisher, book.release_date, book.published) == ("AK Press", date(2010, 7, 1), "")
    assert book.page_count == 160
    assert book.description == "How the Aymara of El Alto organise."
    assert book.cover is not None
    assert f"/isbn/{ISBN}.json" in open_library.asked, "asked by ISBN, then the redirect followed"
    assert set(open_library.user_agents) == {"Firestorm catalog (test)"}


def test_missing_fields_stay_empty_and_a_year_alone_is_not_made_a_day(in_app, open_library, source):
    open_library.add(ISBN, {"title": "Zine", "publish_date": "2017", "number_of_pages": "many"})

    book = look_up(in_app, source).book

    assert (book.title, book.authors, book.publisher, book.description) == ("Zine", (), "", "")
    assert (book.release_date, book.published, book.page_count) == (None, "2017", None)
    assert not look_up(in_app, source).has_cover


def test_without_its_own_description_the_works_is_used(in_app, open_library, source):
    open_library.add(ISBN, {"title": "Zine", "works": [{"key": "/works/OL9W"}]})
    open_library.works["/works/OL9W"] = {"description": "The work's own words."}

    assert look_up(in_app, source).book.description == "The work's own words."


def test_an_unknown_isbn_is_not_found_and_that_is_kept_a_day(in_app, open_library, source):
    answer = look_up(in_app, source)

    assert answer.outcome == Outcome.NOT_FOUND
    assert "doesn't know the ISBN 978-1-84935-011-2" in answer.said()
    asked = len(open_library.asked)
    look_up(in_app, source, now=NOW + timedelta(hours=23))
    assert len(open_library.asked) == asked, "kept for a day"
    look_up(in_app, source, now=NOW + timedelta(hours=25))
    assert len(open_library.asked) == asked + 1


@pytest.mark.parametrize(
    ("behaviour", "outcome", "words"),
    [
        (SLOW, Outcome.SLOW, "did not answer in time"),
        (DRIP, Outcome.SLOW, "did not answer in time"),
        (JUNK, Outcome.UNREADABLE, "answer could not be read"),
        (HUGE, Outcome.UNREADABLE, "answer could not be read"),
        (SERVER_ERROR, Outcome.UNREACHABLE, "could not be reached"),
    ],
)
def test_each_failure_is_said_in_words_and_not_kept(
    in_app, open_library, source, behaviour, outcome, words
):
    open_library.add(ISBN, DISPERSING_POWER)
    open_library.behaviours[ISBN] = behaviour

    answer = look_up(in_app, source)

    assert (answer.outcome, answer.book) == (outcome, None)
    assert words in answer.said()
    with in_app():
        assert db.session.get(BookLookup, ISBN) is None, "asked again next time"


def test_a_slow_answer_is_cut_off_at_the_timeout(in_app, open_library, source):
    open_library.behaviours[ISBN] = DRIP
    started = time.monotonic()

    look_up(in_app, source)

    # The deadline is checked between chunks; each wait on the socket is bounded by the timeout.
    assert time.monotonic() - started < 2.2


def test_with_nothing_listening_it_cannot_be_reached(in_app):
    nowhere = f"http://127.0.0.1:{free_port()}"

    answer = look_up(in_app, Source(nowhere, nowhere, 1.0, "test"))

    assert answer.outcome == Outcome.UNREACHABLE
    assert "internet" in answer.said()


def test_junk_fields_are_read_as_nothing(in_app, open_library, source):
    open_library.add(
        ISBN,
        {
            "title": "Zine",
            "authors": ["not a dict", {"key": 7}, {"key": "/authors/OL404A"}],
            "publishers": "not a list",
            "description": 12,
            "number_of_pages": -3,
        },
    )

    book = look_up(in_app, source).book

    assert (book.authors, book.publisher, book.description, book.page_count) == ((), "", "", None)


def test_an_edition_without_a_title_is_unreadable(in_app, open_library, source):
    open_library.add(ISBN, {"subtitle": "No title"})

    assert look_up(in_app, source).outcome == Outcome.UNREADABLE


def test_a_cover_that_is_not_an_image_is_left_out(in_app, open_library, source):
    open_library.add(ISBN, {"title": "Zine"}, b"<html>not an image</html>")

    answer = look_up(in_app, source)

    assert answer.outcome == Outcome.FOUND and not answer.has_cover
    with in_app():
        assert lookups.found_cover(ISBN) is None


def test_an_answer_is_kept_and_read_back_without_asking_again(
    in_app, open_library, source, authors
):
    open_library.add(ISBN, DISPERSING_POWER, jpeg((400, 600)))
    first = look_up(in_app, source)
    asked = len(open_library.asked)

    again = look_up(in_app, source, now=NOW + timedelta(days=29))

    assert len(open_library.asked) == asked
    assert again.book == first.book and again.has_cover
    with in_app():
        row = db.session.get(BookLookup, ISBN)
        assert json.loads(row.facts)["authors"] == ["Raúl Zibechi", "Ramor Ryan"]
        assert lookups.found_cover(ISBN) == open_library.covers[ISBN]
        assert lookups.cover_thumbnail(ISBN).startswith(b"RIFF"), "a WebP made by the checks"


def test_forgetting_erases_answers_past_their_time(in_app, open_library, source):
    open_library.add(ISBN, {"title": "Zine"})
    look_up(in_app, source)
    look_up(in_app, source, "9780000000002")

    with in_app():
        erased = lookups.forget_old(NOW + timedelta(days=2), KEPT)
        db.session.commit()
        kept = db.session.scalars(select(BookLookup.isbn13)).all()

    assert (erased, kept) == (1, [ISBN])
    with in_app():
        assert lookups.forget_old(NOW + timedelta(days=31), KEPT) == 1


@pytest.mark.parametrize("works", [[{"key": 7}], [{"key": "/works/OL404W"}], "not a list"])
def test_a_work_that_cannot_be_read_gives_no_description(in_app, open_library, source, works):
    open_library.add(ISBN, {"title": "Zine", "works": works})

    answer = look_up(in_app, source)

    assert (answer.outcome, answer.book.description) == (Outcome.FOUND, "")


def test_an_edition_that_is_not_an_object_is_unreadable(in_app, open_library, source):
    open_library.add(ISBN, {"title": "Zine"})
    open_library.behaviours[ISBN] = LIST

    assert look_up(in_app, source).outcome == Outcome.UNREADABLE


def test_an_answer_cut_off_halfway_means_it_could_not_be_reached(in_app, open_library, source):
    open_library.add(ISBN, {"title": "Zine"})
    open_library.behaviours[ISBN] = CUT_OFF

    assert look_up(in_app, source).outcome == Outcome.UNREACHABLE


@pytest.mark.parametrize(
    ("behaviour", "asked"), [(ELSEWHERE, 1), (LOOP, 4)], ids=["another server", "a loop"]
)
def test_redirects_are_followed_on_the_same_server_a_few_times_only(
    in_app, open_library, source, behaviour, asked
):
    open_library.add(ISBN, {"title": "Zine"})
    open_library.behaviours[ISBN] = behaviour

    answer = look_up(in_app, source)

    assert answer.outcome == Outcome.UNREADABLE
    assert open_library.asked == [f"/isbn/{ISBN}.json"] * asked
