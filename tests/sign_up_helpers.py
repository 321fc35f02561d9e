"""Arranging event sign-ups and sending the public form, shared by the sign-up test modules
(not a test module)."""

import secrets
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from hold_helpers import hidden_fields
from review_helpers import page_text
from sqlalchemy import select

from firestorm.database import db
from firestorm.events import planning, signing_up
from firestorm.events.sign_up_models import SignUp
from firestorm.events.wording import date_value
from firestorm.shop.schedule import load_schedule

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday Nov 24, 2026, 3pm at the shop; the event is on Thursday Dec 10, 7pm to 9pm.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)
EVENING = datetime(2026, 12, 10, 19, 0, tzinfo=NEW_YORK)
# The tests' app's SECRET_KEY (conftest.py), as the routes make the links with.
LINK_SECRET = "test secret key"


def add_event(app, capacity: int | None = 20, title: str = "Film night") -> int:
    """An event on EVENING with `capacity` places, added as the desk adds it."""
    with app.app_context():
        event = planning.add_event(
            planning.TypedEvent(title, date(2026, 12, 10), time(19), time(21), capacity=capacity),
            load_schedule(NOW.date(), NEW_YORK),
            NOW,
        )
        db.session.commit()
        return event.id


def sign_up(
    app,
    event_id: int,
    places: int = 1,
    name: str = "Robin Reader",
    email: str = "robin@example.org",
    phone: str = "",
    waiting: bool = False,
    at: datetime = NOW,
) -> SignUp:
    """A sign-up made through the form's own function (detached)."""
    typed = signing_up.SignUpRequest(name, email, phone, places, waiting)
    with app.app_context():
        signed = signing_up.sign_up(
            event_id,
            date_value(EVENING),
            typed,
            secrets.token_urlsafe(16),
            at,
            LINK_SECRET,
            ZoneInfo(app.config["STORE_TIMEZONE"]),
        ).sign_up
        db.session.commit()
        db.session.refresh(signed)
        db.session.expunge(signed)
        return signed


def link_of(signed: SignUp) -> str:
    """The path of the sign-up's own page, as its private link gives it."""
    return f"/sign-ups/{signing_up.link_token(signed.request_key, LINK_SECRET)}"


def sign_ups_of(app, event_id: int) -> list[tuple[str, int, str]]:
    """(name, places, state) of every sign-up for the event, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(SignUp).where(SignUp.event_id == event_id).order_by(SignUp.id)
        )
        return [(row.customer_name, row.places, row.state) for row in rows]


def a_person(number: int = 1, **typed) -> dict:
    return {
        "name": f"Person {number}",
        "email": f"person{number}@example.org",
        "phone": "",
        "places": "1",
        **typed,
    }


def send_form(client, event_id: int, **typed):
    """Open the event's sign-up form and send it as `typed` fills it in."""
    opened = page_text(client.get(f"/events/{event_id}/sign-up"))
    return client.post(
        f"/events/{event_id}/sign-up", data={**hidden_fields(opened), **a_person(**typed)}
    )
