"""The pages of events that repeat: the desk's repeat fields (each refusal beside its field, the
form as typed), a series' dates at /collective/events/<id>/dates, one date cancelled (asked
first) or moved, each by role; the public's /events with each date a line of its own, the
series' page with its next dates, a cancelled one struck, and home's "Coming up". The rules:
test_event_repeats.py."""

from datetime import UTC, date, datetime, time
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from html_checks import check_html, describe_html_errors, save_page
from page_reading import words_in
from review_helpers import not_found_page, page_text, token_of
from sqlalchemy import select

from firestorm.database import db
from firestorm.events import planning, series
from firestorm.events.models import ChangedDate, Event
from firestorm.shop.schedule import load_schedule

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday Nov 24, 2026, 3pm at the shop (closed on Mondays, 8am–9pm else, as by default).
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)
DESK = "/collective/events"
FORM = {
    "title": "Book club",
    "day": "2026-12-08",
    "starts": "19:00",
    "ends": "21:00",
    "repeat": "monthly",
    "repeat_until": "2027-06-30",
    "place": "",
    "price": "",
    "capacity": "",
    "description": "This month: *Parable of the Sower*.",
}
JANUARY = "2027-01-12"


@pytest.fixture
def sam(login_as, clock):
    """Sam, a collective member, signed in; every page's clock at NOW."""
    clock(NOW)
    return login_as("collective", display_name="Sam")


@pytest.fixture
def book_club(app):
    """book_club(**typed): the second Tuesday of each month, Dec 8, 2026 to Jun 2027, at 7pm,
    added as the desk adds it; its id."""

    def book_club(**typed) -> int:
        fields = {
            "title": "Book club",
            "day": date(2026, 12, 8),
            "starts": time(19),
            "ends": time(21),
            "repeat": series.MONTHLY,
            "repeat_until": date(2027, 6, 30),
        }
        with app.app_context():
            event = planning.add_event(
                planning.TypedEvent(**(fields | typed)),
                load_schedule(NOW.date(), NEW_YORK),
                NOW,
            )
            db.session.commit()
            return event.id

    return book_club


@pytest.fixture
def changes(app):
    """The changed dates kept: (the series' start, moved start or None, cancelled)."""

    def changes() -> list[tuple]:
        with app.app_context():
            rows = db.session.scalars(select(ChangedDate).order_by(ChangedDate.id))
            return [(c.series_starts_at, c.starts_at, c.cancelled_at is not None) for c in rows]

    return changes


def send(client, path, data=None):
    return client.post(path, data={"csrf_token": token_of(client), **(data or {})})


def words(response, status=None) -> str:
    return words_in(page_text(response, status))


def date_routes(event_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"{DESK}/{event_id}/dates"),
        ("GET", f"{DESK}/{event_id}/dates/{JANUARY}/cancel"),
        ("POST", f"{DESK}/{event_id}/dates/{JANUARY}/cancel"),
        ("GET", f"{DESK}/{event_id}/dates/{JANUARY}/move"),
        ("POST", f"{DESK}/{event_id}/dates/{JANUARY}/move"),
    ]


MOVE = {"day": "2027-01-14", "starts": "18:00", "ends": "20:00"}


# --- Who may change a date -----------------------------------------------------------------------


def test_strangers_are_sent_to_sign_in_and_volunteers_refused_and_nothing_changes(
    client, login_as, clock, book_club, changes
):
    clock(NOW)
    event_id = book_club()
    token = token_of(client)

    for method, path in date_routes(event_id):
        response = client.open(path, method=method, data={"csrf_token": token, **MOVE})
        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path])

    login_as("volunteer")
    for method, path in date_routes(event_id):
        response = client.open(path, method=method, data={"csrf_token": token_of(client), **MOVE})
        assert response.status_code == 403, path
    assert changes() == []


def test_a_member_sees_each_date_of_the_series_from_its_form(client, sam, book_club):
    event_id = book_club()

    form = words(client.get(f"{DESK}/{event_id}"))
    assert "Every second Tuesday of the month until Jun 30, 2027" in form
    assert f'href="{DESK}/{event_id}/dates"' in page_text(client.get(f"{DESK}/{event_id}"))
    listed = words(client.get(f"{DESK}/{event_id}/dates"))
    assert listed.index("Tuesday, Dec 8, 2026, 7pm – 9pm") < listed.index(
        "Tuesday, Jun 8, 2027, 7pm – 9pm"
    )
    assert "Every second Tuesday of the month" in words(client.get(DESK))


@pytest.mark.parametrize(
    "path",
    [
        "/dates/2027-01-13/cancel",  # a Wednesday: not a date of the series
        "/dates/2027-13-45/move",
        "/dates/next-tuesday/move",
        "/dates/" + "9" * 300 + "/cancel",
        "/dates/20270112/move",
    ],
)
def test_a_day_that_is_not_one_of_the_series_is_not_found(client, sam, book_club, path):
    event_id = book_club()

    not_found_page(client.get(f"{DESK}/{event_id}{path}"))
    assert send(client, f"{DESK}/{event_id}{path}", MOVE).status_code == 404


def test_a_single_event_has_no_dates_page(client, sam, book_club):
    event_id = book_club(repeat="", repeat_until=None)

    not_found_page(client.get(f"{DESK}/{event_id}/dates"))
    not_found_page(client.get(f"{DESK}/{event_id}/dates/2026-12-08/cancel"))
    not_found_page(client.get(f"{DESK}/999/dates"))


# --- Adding a series -----------------------------------------------------------------------------


def test_a_member_adds_a_series_and_the_public_sees_each_date(client, sam, app):
    response = send(client, DESK, FORM)

    assert response.status_code == 302
    with app.app_context():
        (event,) = db.session.scalars(select(Event))
        assert (event.repeat, event.repeat_until) == ("monthly", date(2027, 6, 30))
        event_id = event.id
    client.get("/logout")
    listed = words(client.get("/events"))
    assert listed.count("Book club") == 7
    assert "Tuesday, Jan 12, 2027, 7pm – 9pm" in listed
    page = words(client.get(f"/events/{event_id}"))
    assert "Every second Tuesday of the month until Jun 30, 2027" in page
    assert "Next dates" in page and "Tuesday, Feb 9, 2027, 7pm – 9pm" in page


@pytest.mark.parametrize(
    ("changes", "field", "words_said"),
    [
        ({"repeat_until": ""}, "repeat_until", "A repeat needs an end"),
        ({"repeat_until": "someday"}, "repeat_until", "Give the last day as a date"),
        ({"repeat_until": "2026-12-01"}, "repeat_until", "The repeat ends before its first date"),
        ({"repeat_until": "2030-01-01"}, "repeat_until", "A series runs two years at most"),
        ({"repeat": "hourly"}, "repeat", "Choose how it repeats from the list."),
        ({"repeat": "monthly_last"}, "repeat", "Dec 8, 2026 is not the last Tuesday"),
        ({"day": "2026-12-29"}, "repeat", "is the fifth Tuesday of its month"),
        ({"day": "2026-11-17"}, "day", "That is in the past"),
        ({"ends": "18:00"}, "ends", "The end is before the start"),
    ],
)
def test_each_repeat_refusal_is_said_beside_its_field_with_the_form_as_typed(
    app, client, sam, changes, field, words_said
):
    typed = FORM | changes
    response = send(client, DESK, typed)

    page = page_text(response, 422)
    errors = page.split(f'id="{field}-errors"')[1].split("</ul>")[0]
    assert words_said in words_in(errors)
    assert f'href="#{field}"' in page, "the summary links the words to the field"
    assert 'value="Book club"' in page
    assert f'<option selected value="{typed["repeat"]}">' in page or typed["repeat"] == "hourly"
    if typed["repeat_until"] not in ("", "someday"):
        assert f'value="{typed["repeat_until"]}"' in page
    with app.app_context():
        assert db.session.scalars(select(Event)).all() == []


def test_a_series_with_a_closed_day_names_it_and_we_open_for_it_lets_it_be(client, sam, app):
    # Weekly on Sundays (Nov 29 on): the shop opens Sundays; a Monday series is refused first.
    refused = send(client, DESK, FORM | {"day": "2026-11-30", "repeat": "weekly"})
    assert "The shop is closed on Mondays (Nov 30, 2026)" in words(refused, 422)

    opened = FORM | {"day": "2026-11-30", "repeat": "weekly", "opens_specially": "y"}
    assert send(client, DESK, opened).status_code == 302


# --- One date cancelled or moved -----------------------------------------------------------------


def test_cancelling_one_date_asks_first_then_strikes_it_on_the_site(
    client, sam, book_club, changes
):
    event_id = book_club()

    asked = words(client.get(f"{DESK}/{event_id}/dates/{JANUARY}/cancel"))
    assert "Cancel “Book club” on Tuesday, Jan 12, 2027, 7pm – 9pm?" in asked
    assert changes() == []

    response = send(client, f"{DESK}/{event_id}/dates/{JANUARY}/cancel")
    assert response.headers["Location"] == f"{DESK}/{event_id}/dates"
    assert changes() == [(datetime(2027, 1, 13, tzinfo=UTC), None, True)]
    assert "Cancelled “Book club” on Tuesday, Jan 12, 2027" in words(
        client.get(f"{DESK}/{event_id}/dates")
    )

    client.get("/logout")
    page = page_text(client.get(f"/events/{event_id}"))
    assert "<s>Tuesday, Jan 12, 2027, 7pm – 9pm</s>" in page
    assert "Cancelled" in words_in(page.split("Next dates")[1])
    listed = page_text(client.get("/events"))
    assert "<s>Tuesday, Jan 12, 2027, 7pm – 9pm</s>" in listed
    coming_up = words(client.get("/")).split("Coming up")[1].split("This week")[0]
    assert "Jan 12" not in coming_up
    assert "Dec 8" in coming_up and "Feb 9" in coming_up and "Mar 9" in coming_up


def test_moving_one_date_lists_it_at_its_new_time(client, sam, book_club, changes):
    event_id = book_club()

    form = page_text(client.get(f"{DESK}/{event_id}/dates/{JANUARY}/move"))
    assert 'value="2027-01-12"' in form and 'value="19:00"' in form

    response = send(client, f"{DESK}/{event_id}/dates/{JANUARY}/move", MOVE)
    assert response.status_code == 302
    assert changes() == [
        (datetime(2027, 1, 13, tzinfo=UTC), datetime(2027, 1, 14, 23, tzinfo=UTC), False)
    ]
    client.get("/logout")
    listed = words(client.get("/events"))
    assert "Thursday, Jan 14, 2027, 6pm – 8pm (moved)" in listed
    assert "Jan 12" not in listed


@pytest.mark.parametrize(
    ("typed", "field", "words_said"),
    [
        ({"day": ""}, "day", "Give the day"),
        ({"starts": "soon"}, "starts", "Give the time it starts"),
        ({"ends": "17:00"}, "ends", "The end is before the start"),
        ({"day": "2026-11-01"}, "day", "That is in the past"),
        ({"day": "2027-07-06"}, "day", "The series ends on Jun 30, 2027"),
        ({"day": "2027-01-11"}, "day", "The shop is closed on Mondays"),
    ],
)
def test_each_move_refusal_is_said_beside_its_field_with_the_form_as_typed(
    client, sam, book_club, changes, typed, field, words_said
):
    event_id = book_club()

    response = send(client, f"{DESK}/{event_id}/dates/{JANUARY}/move", MOVE | typed)

    page = page_text(response, 422)
    errors = page.split(f'id="{field}-errors"')[1].split("</ul>")[0]
    assert words_said in words_in(errors)
    kept = MOVE | typed
    for name in ("starts", "ends"):
        if kept[name] != "soon":
            assert f'value="{kept[name]}"' in page
    assert changes() == []


def test_a_date_that_has_started_is_not_cancelled(client, clock, login_as, book_club, changes):
    event_id = book_club()
    clock(datetime(2026, 12, 8, 19, 30, tzinfo=NEW_YORK))
    login_as("collective")

    response = send(client, f"{DESK}/{event_id}/dates/2026-12-08/cancel")

    assert response.status_code == 302
    assert "That date has started" in words(client.get(response.headers["Location"]))
    assert changes() == []


# --- The public's pages --------------------------------------------------------------------------


def test_the_series_page_and_home_show_the_next_dates_only(client, clock, book_club):
    event_id = book_club()
    clock(datetime(2027, 2, 1, tzinfo=NEW_YORK))

    page = words(client.get(f"/events/{event_id}"))
    next_dates = page.split("Next dates")[1]
    assert "Jan 12" not in next_dates and "Feb 9, 2027" in next_dates
    coming_up = words(client.get("/")).split("Coming up")[1].split("This week")[0]
    assert coming_up.count("Book club") == 3
    assert "Tuesday, Feb 9, 2027" in coming_up
    assert "Jan 12, 2027" in words(client.get("/events/past"))

    clock(datetime(2027, 6, 9, tzinfo=NEW_YORK))
    assert "This event is over." in words(client.get(f"/events/{event_id}"))


def test_the_repeat_pages_are_valid_html(tmp_path, client, clock, sam, book_club, nu_html_checker):
    event_id = book_club()
    send(client, f"{DESK}/{event_id}/dates/{JANUARY}/cancel")
    send(client, f"{DESK}/{event_id}/dates/2027-02-09/move", MOVE | {"day": "2027-02-11"})
    files = [
        save_page(client, f"{DESK}/{event_id}", 200, tmp_path / "edit.html"),
        save_page(client, f"{DESK}/{event_id}/dates", 200, tmp_path / "dates.html"),
        save_page(client, f"{DESK}/{event_id}/dates/2027-03-09/cancel", 200, tmp_path / "c.html"),
        save_page(client, f"{DESK}/{event_id}/dates/2027-03-09/move", 200, tmp_path / "m.html"),
    ]
    refused = tmp_path / "refused.html"
    refused.write_bytes(send(client, f"{DESK}/{event_id}/dates/2027-03-09/move", {}).data)
    client.get("/logout")
    files += [
        save_page(client, "/events", 200, tmp_path / "events.html"),
        save_page(client, f"/events/{event_id}", 200, tmp_path / "event.html"),
    ]

    errors = check_html(nu_html_checker, [*files, refused])

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
