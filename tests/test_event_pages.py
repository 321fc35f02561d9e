"""The events pages: the collective's desk at /collective/events (firestorm/collective/
event_routes.py) by role, with each refusal told beside its field and the form back as typed;
the public's /events, the archive, an event's page and the home page's "Coming up"
(firestorm/public/event_routes.py), each showing a change at once. The rules: test_events.py."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import partial
from urllib.parse import parse_qs, urlsplit

import pytest
from event_helpers import NEW_YORK, NOW, add_event
from html_checks import check_html, describe_html_errors, save_page
from page_reading import words_in
from review_helpers import not_found_page, page_text, token_of
from sqlalchemy import select

from firestorm.database import db
from firestorm.events import planning
from firestorm.events.models import Event

DESK = "/collective/events"
FORM = {
    "title": "Reading with Raúl Zibechi",
    "day": "2026-12-03",
    "starts": "19:00",
    "ends": "21:00",
    "place": "",
    "price": "5.00",
    "capacity": "20",
    "description": "Bring *questions*.",
}


@pytest.fixture
def sam(login_as, clock):
    """Sam, a collective member, signed in; every page's clock at NOW."""
    clock(NOW)
    return login_as("collective", display_name="Sam")


@pytest.fixture
def make_event(app):
    """make_event(title, day, made_at=NOW, **typed): an event added as the desk adds it."""
    return partial(add_event, app)


@pytest.fixture
def stored(app):
    def stored() -> list[tuple]:
        with app.app_context():
            rows = db.session.scalars(select(Event).order_by(Event.id))
            return [
                (e.title, e.starts_at, e.price, e.capacity, e.cancelled_at is not None)
                for e in rows
            ]

    return stored


def only_event_id(app) -> int:
    with app.app_context():
        return db.session.scalars(select(Event.id)).one()


def send(client, path, data=None):
    return client.post(path, data={"csrf_token": token_of(client), **(data or {})})


def words(response, status=None) -> str:
    return words_in(page_text(response, status))


# --- Who may use the desk ----------------------------------------------------------------------


def desk_routes(event_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", DESK),
        ("GET", f"{DESK}/new"),
        ("POST", DESK),
        ("GET", f"{DESK}/{event_id}"),
        ("POST", f"{DESK}/{event_id}"),
        ("GET", f"{DESK}/{event_id}/cancel"),
        ("POST", f"{DESK}/{event_id}/cancel"),
        ("GET", f"{DESK}/{event_id}/delete"),
        ("POST", f"{DESK}/{event_id}/delete"),
    ]


def test_strangers_are_sent_to_sign_in_and_volunteers_refused_and_nothing_changes(
    client, login_as, clock, make_event, stored
):
    clock(NOW)
    event_id = make_event()
    before = stored()
    token = token_of(client)

    for method, path in desk_routes(event_id):
        response = client.open(path, method=method, data={"csrf_token": token, **FORM})
        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert (location.path, parse_qs(location.query)["next"]) == ("/login", [path])

    login_as("volunteer")
    for method, path in desk_routes(event_id):
        response = client.open(path, method=method, data={"csrf_token": token_of(client), **FORM})
        assert response.status_code == 403, path
    assert stored() == before


def test_a_member_finds_the_desk_in_their_pages_and_a_volunteer_does_not(client, login_as):
    login_as("collective")
    assert f'href="{DESK}"' in page_text(client.get("/my/"))
    client.get("/logout")

    login_as("volunteer")
    assert f'href="{DESK}"' not in page_text(client.get("/my/"))


# --- Adding --------------------------------------------------------------------------------------


def test_a_member_adds_an_event_and_the_desk_lists_it(client, sam, stored):
    response = send(client, DESK, FORM)

    assert response.status_code == 302
    assert response.headers["Location"] == DESK
    assert stored() == [
        (
            "Reading with Raúl Zibechi",
            datetime(2026, 12, 4, 0, 0, tzinfo=UTC),
            Decimal("5.00"),
            20,
            False,
        )
    ]
    desk = words(client.get(DESK))
    assert "Added “Reading with Raúl Zibechi”" in desk
    assert "Thursday, Dec 3, 2026, 7pm – 9pm" in desk


@pytest.mark.parametrize(
    ("changes", "field", "words_said"),
    [
        ({"title": ""}, "title", "Give the event a title."),
        ({"ends": "18:00"}, "ends", "The end is before the start"),
        ({"day": "2026-11-20"}, "day", "That is in the past"),
        ({"day": "2026-11-30"}, "day", "The shop is closed on Mondays"),
        ({"price": "five"}, "price", "Give the price as a number"),
        ({"capacity": "lots"}, "capacity", "Give the number of places as a whole number"),
        ({"capacity": "0"}, "capacity", "Give the number of places as a whole number from 1"),
    ],
)
def test_each_refusal_is_said_beside_its_field_with_the_form_as_typed(
    client, sam, stored, changes, field, words_said
):
    response = send(client, DESK, FORM | changes)

    page = page_text(response, 422)
    assert "<title>Error: Add an event" in page
    errors = page.split(f'id="{field}-errors"')[1].split("</ul>")[0]
    assert words_said in words_in(errors)
    assert f'href="#{field}"' in page, "the summary links the words to the field"
    assert 'value="Reading with Raúl Zibechi"' in page or field == "title"
    assert stored() == []


def test_we_open_for_it_lets_an_event_be_on_a_closed_day(app, client, sam, stored):
    response = send(client, DESK, FORM | {"day": "2026-11-30", "opens_specially": "y"})

    assert response.status_code == 302
    assert len(stored()) == 1
    event_page = client.get(f"/events/{only_event_id(app)}")
    assert "We open the shop specially for this event." in words(event_page)


# --- Changing, cancelling, deleting --------------------------------------------------------------


def test_a_member_changes_a_coming_event(client, sam, make_event, stored):
    event_id = make_event()

    form = page_text(client.get(f"{DESK}/{event_id}"))
    assert 'value="Film night"' in form and 'value="2026-12-10"' in form

    response = send(client, f"{DESK}/{event_id}", FORM | {"title": "Film night: Matewan"})
    assert response.status_code == 302
    assert stored()[0][0] == "Film night: Matewan"


def test_a_refused_change_keeps_the_event_and_says_why(client, sam, make_event, stored):
    event_id = make_event()
    before = stored()

    response = send(client, f"{DESK}/{event_id}", FORM | {"ends": "17:00"})

    assert "The end is before the start" in words(response, 422)
    assert stored() == before


def test_a_past_event_keeps_all_but_its_description(client, clock, login_as, make_event, stored):
    event_id = make_event(
        "Book club", date(2026, 11, 19), made_at=datetime(2026, 11, 1, tzinfo=UTC)
    )
    clock(NOW)
    login_as("collective")
    before = stored()

    form = page_text(client.get(f"{DESK}/{event_id}"))
    assert "only its description can still be changed" in words_in(form)
    assert 'name="title"' not in form

    response = send(client, f"{DESK}/{event_id}", {"title": "Renamed", "description": "Thanks!"})
    assert response.status_code == 302
    assert stored() == before
    assert "Thanks!" in words(client.get(f"/events/{event_id}"))


def test_cancelling_asks_first_then_strikes_the_event_and_keeps_it(client, sam, make_event, stored):
    event_id = make_event()

    asked = words(client.get(f"{DESK}/{event_id}/cancel"))
    assert "Cancel “Film night”?" in asked
    assert stored()[0][4] is False

    assert send(client, f"{DESK}/{event_id}/cancel").status_code == 302
    assert stored()[0][4] is True
    client.get("/logout")
    page = page_text(client.get(f"/events/{event_id}"))
    assert "<s>Film night</s>" in page
    assert "Cancelled." in words_in(page)
    assert "Film night" not in words(client.get("/")), "no longer coming up"
    assert "Cancelled" in words(client.get("/events"))


def test_deleting_asks_first_then_the_event_is_gone(client, sam, make_event, stored):
    event_id = make_event()

    assert "can't be undone" in words(client.get(f"{DESK}/{event_id}/delete"))
    assert len(stored()) == 1
    assert send(client, f"{DESK}/{event_id}/delete").status_code == 302
    assert stored() == []
    not_found_page(client.get(f"/events/{event_id}"))
    not_found_page(client.get(f"{DESK}/{event_id}"))


# --- The public's pages --------------------------------------------------------------------------


def test_the_public_sees_coming_events_past_ones_and_each_event_in_full(client, clock, make_event):
    past = make_event(
        "Zine workshop", date(2026, 11, 19), made_at=datetime(2026, 11, 1, tzinfo=UTC)
    )
    coming = make_event(
        "Reading",
        date(2026, 12, 3),
        description="With **the author**.",
        place="Firestorm Hall, 1 Main St",
        price=Decimal("5"),
        capacity=20,
    )
    for day in (date(2026, 12, 10), date(2026, 12, 17), date(2026, 12, 24)):
        make_event(f"Film night {day.day}", day)
    clock(NOW)

    listed = words(client.get("/events"))
    assert listed.index("Reading") < listed.index("Film night 10") < listed.index("Film night 24")
    assert "Zine workshop" not in listed
    assert "Zine workshop" in words(client.get("/events/past"))

    home = words(client.get("/"))
    coming_up = home.split("Coming up")[1].split("This week")[0]
    assert "Reading" in coming_up and "Film night 17" in coming_up
    assert "Film night 24" not in coming_up, "the next three only"

    page = page_text(client.get(f"/events/{coming}"))
    assert '<a href="/events" aria-current="page">Events</a>' in page, "the menu says where"
    assert "<strong>the author</strong>" in page
    assert all(
        said in words_in(page)
        for said in (
            "Thursday, Dec 3, 2026, 7pm – 9pm",
            "Firestorm Hall, 1 Main St",
            "$5.00",
            "20 places",
        )
    )
    assert "This event is over." in words(client.get(f"/events/{past}"))
    not_found_page(client.get("/events/999"))


def test_an_event_is_free_when_no_price_is_typed(app, client, sam, stored):
    send(client, DESK, FORM | {"price": ""})

    assert stored()[0][2] == 0
    assert "Free" in words(client.get(f"/events/{only_event_id(app)}"))


def test_a_description_cannot_run_script(client, make_event):
    event_id = make_event(description="<script>alert(1)</script> [x](javascript:alert(1))")

    page = page_text(client.get(f"/events/{event_id}"))
    assert "<script>alert" not in page
    assert 'href="javascript' not in page


def test_the_public_pages_show_an_edit_at_once(client, clock, sam, make_event):
    event_id = make_event()
    clock(NOW)
    first = client.get("/events")
    assert "Film night" in words(first)

    send(client, f"{DESK}/{event_id}", FORM | {"title": "Film night: Matewan"})
    client.get("/logout")

    assert "Film night: Matewan" in words(client.get("/events"))
    assert "Film night: Matewan" in words(client.get(f"/events/{event_id}"))


def test_a_kept_page_changes_by_itself_when_an_event_ends(client, clock, make_event):
    # 5pm to 6pm on a Thursday the shop is open until 9pm: the banner says the same throughout.
    make_event("Zine workshop", date(2026, 12, 3), starts=time(17), ends=time(18))
    clock(datetime(2026, 12, 3, 17, 30, tzinfo=NEW_YORK))
    during = client.get("/events")
    assert "Zine workshop" in words(during)
    assert during.cache_control.s_maxage <= 30 * 60, "no shared cache past its end"

    clock(datetime(2026, 12, 3, 18, 0, 1, tzinfo=NEW_YORK))
    after = client.get("/events", headers={"If-None-Match": during.headers["ETag"]})

    assert after.status_code == 200
    assert "Zine workshop" not in words(after)
    assert "Zine workshop" in words(client.get("/events/past"))


def test_the_events_pages_are_valid_html(
    tmp_path, client, clock, login_as, make_event, nu_html_checker
):
    event_id = make_event(description="A *film*.", capacity=30)
    cancelled = make_event("Gone")
    with client.application.app_context():
        planning.cancel_event(db.session.get(Event, cancelled), NOW)
        db.session.commit()
    clock(NOW)
    files = [
        save_page(client, "/events", 200, tmp_path / "events.html"),
        save_page(client, "/events/past", 200, tmp_path / "past.html"),
        save_page(client, f"/events/{event_id}", 200, tmp_path / "event.html"),
        save_page(client, f"/events/{cancelled}", 200, tmp_path / "cancelled.html"),
        save_page(client, "/", 200, tmp_path / "home.html"),
    ]
    login_as("collective")
    files += [
        save_page(client, DESK, 200, tmp_path / "desk.html"),
        save_page(client, f"{DESK}/new", 200, tmp_path / "new.html"),
        save_page(client, f"{DESK}/{event_id}", 200, tmp_path / "edit.html"),
        save_page(client, f"{DESK}/{event_id}/cancel", 200, tmp_path / "cancel.html"),
        save_page(client, f"{DESK}/{event_id}/delete", 200, tmp_path / "delete.html"),
    ]
    refused = tmp_path / "refused.html"
    refused.write_bytes(send(client, DESK, FORM | {"ends": "18:00"}).data)

    errors = check_html(nu_html_checker, [*files, refused])

    assert not errors, "HTML errors:\n" + describe_html_errors(errors)
