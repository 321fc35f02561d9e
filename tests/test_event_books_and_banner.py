"""An event's books and what an event does to the shop's day: the event form's book picker
(firestorm/collective/event_routes.py, the review picker's search) by role with good and bad
input, the event's page and each linked book's page; the banner and /hours on an event day,
on a closed day the collective opens for, with a cancelled event and after the event
(firestorm/events/shop_days.py, through web/clock.py)."""

from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
from event_helpers import NEW_YORK, NOW, add_event
from html_checks import check_html, describe_html_errors, save_page
from page_reading import words_in
from review_helpers import not_found_page, page_text, token_of
from sqlalchemy import select

from firestorm.catalog import books
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.events import planning, shop_days
from firestorm.events.dates import Occasion
from firestorm.events.models import Event, event_books
from firestorm.shop.hours import DEFAULT_WEEK, Schedule, status_at

DESK = "/collective/events"
CHOICES = "/collective/events/book-choices"
HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}
FORM = {
    "title": "Reading with the author",
    "day": "2026-12-03",
    "starts": "19:00",
    "ends": "21:00",
    "price": "",
    "description": "",
}


@pytest.fixture
def sam(login_as, clock):
    clock(NOW)
    return login_as("collective", display_name="Sam")


@pytest.fixture
def make_event(app):
    """make_event(title, day, **typed): an event added as the desk adds it, at NOW."""

    def make_event(title="Book club", day=date(2026, 12, 3), **typed) -> int:
        return add_event(app, title, day, **typed)

    return make_event


@pytest.fixture
def links(app):
    def links() -> set[tuple[int, int]]:
        with app.app_context():
            return set(db.session.execute(select(event_books.c.event_id, event_books.c.book_id)))

    return links


@pytest.fixture
def hidden_book(app, make_book):
    book = make_book("The Hidden Book", ("Nobody",))
    with app.app_context():
        books.set_hidden(db.session.get(Book, book.id), True)
        db.session.commit()
    return book


def send(client, path, data):
    return client.post(path, data={"csrf_token": token_of(client), **data})


def words(response, status=None) -> str:
    return words_in(page_text(response, status))


def banner(response) -> str:
    page = page_text(response)
    return words_in(page.split('id="store-status"')[1].split("</div>")[0].split(">", 1)[1])


# --- The picker on the event form ----------------------------------------------------------------


def test_strangers_are_sent_to_sign_in_and_volunteers_refused_the_picker(
    client, login_as, make_book
):
    make_book("Zapatista Stories")
    response = client.get(f"{CHOICES}?q=zapatista")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"

    login_as("volunteer")
    assert client.get(f"{CHOICES}?q=zapatista").status_code == 403


def test_a_member_finds_a_book_as_they_type_and_ticked_ones_stay(client, sam, make_book):
    ticked = make_book("Living Autonomy", ("Ana Cecilia Dinerstein",))
    make_book("Zapatista Stories", ("Subcomandante Marcos",))

    answer = client.get(f"{CHOICES}?q=zapatista&book_ids={ticked.id}", headers=HTMX)

    fragment = page_text(answer)
    assert "<html" not in fragment, "htmx gets the choices alone"
    assert f'name="book_ids" value="{ticked.id}" checked' in fragment
    assert "Zapatista Stories</span> by Subcomandante Marcos" in fragment
    assert 'id="book-choice-count"' in fragment and 'hx-swap-oob="innerHTML"' in fragment
    assert "1 book matches “zapatista”" in words_in(fragment)
    # The same address asked for in full is the form with those choices.
    assert "Add an event" in words(client.get(f"{CHOICES}?q=zapatista"))


def test_a_member_links_books_and_the_event_and_book_pages_say_so(
    app, client, sam, make_book, links
):
    book = make_book("Zapatista Stories", ("Subcomandante Marcos",))
    other = make_book("Living Autonomy", ("Ana Cecilia Dinerstein",))

    response = send(client, DESK, FORM | {"book_ids": [str(book.id), str(other.id)]})

    assert response.status_code == 302
    with app.app_context():
        event_id = db.session.scalars(select(Event.id)).one()
    assert links() == {(event_id, book.id), (event_id, other.id)}
    client.get("/logout")

    event_page = page_text(client.get(f"/events/{event_id}"))
    assert f'<a href="/books/{book.id}">Zapatista Stories</a> by Subcomandante Marcos' in event_page
    book_page = page_text(client.get(f"/books/{book.id}"))
    assert (
        f'<a href="/events/{event_id}">Reading with the author, Thu Dec 3 at 7pm</a>' in book_page
    )


def test_the_form_opens_with_its_books_ticked_and_unticking_one_unlinks_it(
    client, sam, make_book, make_event, links
):
    book = make_book("Zapatista Stories")
    other = make_book("Living Autonomy")
    event_id = make_event(book_ids=(book.id, other.id))

    form = page_text(client.get(f"{DESK}/{event_id}"))
    assert f'value="{book.id}" checked' in form and f'value="{other.id}" checked' in form

    send(client, f"{DESK}/{event_id}", FORM | {"book_ids": [str(other.id)]})
    assert links() == {(event_id, other.id)}


def test_find_books_without_javascript_draws_the_form_again_as_typed(client, sam, make_book, links):
    ticked = make_book("Living Autonomy")
    make_book("Zapatista Stories")

    response = send(
        client,
        DESK,
        FORM
        | {
            "title": "Half typed",
            "q": "zapatista",
            "find_books": "1",
            "book_ids": [str(ticked.id)],
        },
    )

    page = page_text(response, 200)
    assert 'value="Half typed"' in page
    assert 'value="zapatista"' in page
    assert "Zapatista Stories" in words_in(page)
    assert f'value="{ticked.id}" checked' in page
    assert links() == set(), "finding books saves nothing"


@pytest.mark.parametrize(
    "sent",
    ["999999", "0", "-1", "abc", "1.5", "99999999999999999999999", "<script>", "1 OR 1=1", "\x00"],
)
def test_a_book_that_is_not_one_is_refused_beside_the_picker(client, sam, make_book, links, sent):
    make_book("Zapatista Stories")

    response = send(client, DESK, FORM | {"book_ids": [sent]})

    page = page_text(response, 422)
    errors = page.split('id="book_ids-errors"')[1].split("</ul>")[0]
    assert "We couldn't find one of those books. Search for it again." in words_in(errors)
    assert 'href="#book-q"' in page, "the summary leads to the search"
    assert 'value="Reading with the author"' in page
    assert links() == set()


def test_a_hidden_book_cannot_be_linked_and_is_not_offered(client, sam, hidden_book, links):
    response = send(client, DESK, FORM | {"book_ids": [str(hidden_book.id)]})
    assert "We couldn't find one of those books" in words(response, 422)
    assert links() == set()

    found = client.get(f"{CHOICES}?q=hidden", headers=HTMX)
    assert "The Hidden Book" not in words(found)


def test_too_many_books_are_refused(client, sam, make_book, links):
    ids = [str(make_book(f"Book {n}").id) for n in range(planning.MOST_LINKED_BOOKS + 1)]
    response = send(client, DESK, FORM | {"book_ids": ids})
    assert f"Link at most {planning.MOST_LINKED_BOOKS} books" in words(response, 422)
    assert links() == set()


def test_a_hidden_book_is_not_shown_on_the_event_page(app, client, clock, make_book, make_event):
    book = make_book("Zapatista Stories")
    event_id = make_event(book_ids=(book.id,))
    with app.app_context():
        books.set_hidden(db.session.get(Book, book.id), True)
        db.session.commit()
    clock(NOW)

    assert "Zapatista Stories" not in words(client.get(f"/events/{event_id}"))
    not_found_page(client.get(f"/books/{book.id}"))


def test_deleting_a_book_or_an_event_removes_its_links(app, make_book, make_event, links):
    book = make_book("Zapatista Stories")
    other = make_book("Living Autonomy")
    first = make_event(book_ids=(book.id, other.id))
    second = make_event("Film night", book_ids=(other.id,))

    with app.app_context():
        books.delete_book(db.session.get(Book, book.id))
        db.session.commit()
    assert links() == {(first, other.id), (second, other.id)}

    with app.app_context():
        planning.delete_event(db.session.get(Event, first))
        db.session.commit()
    assert links() == {(second, other.id)}


def test_a_book_page_lists_only_coming_events_not_cancelled(
    app, client, clock, make_book, make_event
):
    book = make_book("Zapatista Stories")
    soon = make_event("Book club", date(2026, 11, 26), book_ids=(book.id,))
    make_event("Called off", date(2026, 12, 1), book_ids=(book.id,))
    with app.app_context():
        event = db.session.scalars(select(Event).where(Event.title == "Called off")).one()
        planning.cancel_event(event, NOW)
        db.session.commit()

    clock(NOW)
    page = words(client.get(f"/books/{book.id}"))
    assert "Book club, Thu Nov 26 at 7pm" in page and "Called off" not in page

    clock(datetime(2026, 11, 26, 21, 0, 1, tzinfo=NEW_YORK))
    assert "Book club" not in words(client.get(f"/books/{book.id}")), f"event {soon} is over"


# --- The banner and the hours --------------------------------------------------------------------


def test_on_an_event_day_the_banner_says_the_event_until_it_ends(client, clock, make_event):
    make_event("Book club", date(2026, 12, 3))  # a Thursday, open 8am – 9pm

    clock(datetime(2026, 12, 3, 15, 0, tzinfo=NEW_YORK))
    assert banner(client.get("/")) == "Open now until 9pm · Book club at 7pm"
    clock(datetime(2026, 12, 3, 19, 30, tzinfo=NEW_YORK))
    assert banner(client.get("/hours")) == "Open now until 9pm · Book club now, until 9pm"
    clock(datetime(2026, 12, 2, 15, 0, tzinfo=NEW_YORK))
    assert banner(client.get("/")) == "Open now until 9pm", "not the day before"


def test_on_a_closed_day_we_open_for_the_banner_and_hours_say_so(client, clock, make_event):
    make_event("Book club", date(2026, 11, 30), opens_specially=True)  # a Monday

    clock(datetime(2026, 11, 30, 10, 0, tzinfo=NEW_YORK))
    home = client.get("/")
    assert banner(home) == "Open for “Book club”, 7pm – 9pm"
    hours_page = words(client.get("/hours"))
    assert "Monday (today), Nov 30, 2026 Open for “Book club”, 7pm – 9pm" in hours_page

    clock(datetime(2026, 11, 29, 10, 0, tzinfo=NEW_YORK))
    assert "Monday, Nov 30, 2026 Open for “Book club”, 7pm – 9pm" in words(client.get("/hours"))


def test_a_cancelled_event_leaves_the_banner_as_it_was(app, client, clock, make_event):
    event_id = make_event("Book club", date(2026, 11, 30), opens_specially=True)
    with app.app_context():
        planning.cancel_event(db.session.get(Event, event_id), NOW)
        db.session.commit()

    clock(datetime(2026, 11, 30, 10, 0, tzinfo=NEW_YORK))
    assert banner(client.get("/")) == "Closed today — opens Tuesday at 8am"
    assert "Book club" not in words(client.get("/hours"))


def test_after_the_event_a_kept_page_no_longer_advertises_it(client, clock, make_event):
    make_event("Book club", date(2026, 11, 30), opens_specially=True)
    clock(datetime(2026, 11, 30, 20, 30, tzinfo=NEW_YORK))
    during = client.get("/")
    assert banner(during) == "Open for “Book club”, 7pm – 9pm"
    assert during.cache_control.s_maxage <= 30 * 60, "no shared cache past its end"

    clock(datetime(2026, 11, 30, 21, 0, 1, tzinfo=NEW_YORK))
    after = client.get("/", headers={"If-None-Match": during.headers["ETag"]})

    assert after.status_code == 200
    assert banner(after) == "Closed today — opens Tuesday at 8am"


def test_the_pages_with_event_books_are_valid_html(
    tmp_path, client, clock, login_as, make_book, make_event, nu_html_checker
):
    book = make_book("Zapatista Stories", ("Subcomandante Marcos",), publisher="AK Press")
    event_id = make_event(
        "Book club", date(2026, 11, 30), opens_specially=True, book_ids=(book.id,)
    )
    clock(datetime(2026, 11, 30, 10, 0, tzinfo=NEW_YORK))
    files = [
        save_page(client, f"/events/{event_id}", 200, tmp_path / "event.html"),
        save_page(client, f"/books/{book.id}", 200, tmp_path / "book.html"),
        save_page(client, "/hours", 200, tmp_path / "hours.html"),
    ]
    login_as("collective")
    files += [
        save_page(client, f"{DESK}/{event_id}", 200, tmp_path / "edit.html"),
        save_page(client, f"{CHOICES}?q=zapatista", 200, tmp_path / "choices.html"),
    ]
    refused = tmp_path / "refused.html"
    refused.write_bytes(send(client, DESK, FORM | {"book_ids": ["999999"]}).data)

    errors = check_html(nu_html_checker, [*files, refused])

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)


def test_an_event_running_past_closing_is_still_said_after_the_shop_closes():
    schedule = Schedule(week=DEFAULT_WEEK, timezone=NEW_YORK)
    late = Occasion(
        1,
        "Film night",
        datetime(2026, 12, 3, 19, 0, tzinfo=NEW_YORK),
        datetime(2026, 12, 3, 22, 0, tzinfo=NEW_YORK),
        opens_specially=False,
    )
    now = datetime(2026, 12, 3, 21, 30, tzinfo=NEW_YORK)

    status = shop_days.status_with_occasions(status_at(schedule, now), [late], now, NEW_YORK)

    assert status.message == "Closed for the night — opens Friday 8am · Film night now, until 10pm"


# --- A series: every date counts -----------------------------------------------------------------


def test_a_series_later_date_shows_in_the_banner_and_on_its_books_page(
    client, clock, make_book, make_event
):
    book = make_book("Braiding Sweetgrass")
    make_event(
        "Book club",
        date(2026, 12, 3),
        book_ids=(book.id,),
        repeat="weekly",
        repeat_until=date(2027, 2, 25),
    )

    clock(datetime(2026, 12, 17, 15, 0, tzinfo=NEW_YORK))  # the third Thursday
    assert banner(client.get("/")) == "Open now until 9pm · Book club at 7pm"
    page = words(client.get(f"/books/{book.id}"))
    assert "Book club, Thu Dec 17 at 7pm" in page and "Book club, Thu Dec 10" not in page
    # The next few dates, not the whole season.
    assert page.count("Book club, Thu") == 5
