"""Real values for every route's URL variables, for the fuzzer (tests/test_fuzzing.py): one
function per variable name, making the rows its routes show the way the site makes them and
returning their ids (not a test module itself).

A route with a variable no function here fills is fuzzed with hostile values alone, and so
only ever answers 404: the fuzzer's self-check fails until its feature registers one below.
"""

import secrets
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from cover_images import jpeg
from csv_helpers import csv_bytes, import_file, isbn13, row
from flask import current_app
from review_helpers import GOOD_TEXT, review_taken_to
from sqlalchemy import select

from firestorm.book_lookup.models import BookLookup
from firestorm.catalog import books, covers, shelves
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.events import planning, signing_up
from firestorm.events.wording import date_value
from firestorm.holds import desk, placing, special_orders
from firestorm.holds.models import HoldKind
from firestorm.notices.models import Notice
from firestorm.people import invitations, management, password_resets
from firestorm.people.models import User
from firestorm.people.passwords import hash_password
from firestorm.receiving import deliveries
from firestorm.receiving.models import Delivery
from firestorm.reviews.models import ReviewState
from firestorm.sharing import cards
from firestorm.shop import editing
from firestorm.shop.schedule import load_schedule
from firestorm.web.clock import store_timezone, store_today

NOTE = "Please say who it is for."


@dataclass(frozen=True)
class Cast:
    """Who the rows belong to: the fuzzer's volunteer and collective member, and the time."""

    volunteer_id: int
    member_id: int
    now: datetime

    @property
    def volunteer(self) -> User:
        return db.session.get(User, self.volunteer_id)

    @property
    def member(self) -> User:
        return db.session.get(User, self.member_id)

    @property
    def by(self) -> str:
        return f"user {self.member_id} (collective)"


# Each is called in an app context, in this order (book_id last: it lists every book the others
# made), and its rows committed.
REAL_VALUES: dict[str, Callable[[Cast], list[str]]] = {}


def real_values(name: str):
    """Register the function that makes real values for the URL variable `name`."""

    def register(make: Callable[[Cast], list[str]]):
        REAL_VALUES[name] = make
        return make

    return register


def _book(title: str, **fields) -> Book:
    return books.add_book(title=title, authors=["Raúl Zibechi"], **fields)


def _ids(rows) -> list[str]:
    return [str(found.id) for found in rows]


@real_values("review_id")
def reviews_in_every_state(cast: Cast) -> list[str]:
    """The volunteer's reviews in every state (decided by the member), and one of the member's
    waiting for someone else's approval."""
    made = []
    for state in ReviewState:
        book = _book(f"Dispersing Power, {state.value}")
        db.session.flush()
        made.append(
            review_taken_to(
                state, cast.volunteer_id, book.id, GOOD_TEXT, cast.now, cast.member_id, NOTE
            )
        )
    made.append(
        review_taken_to(ReviewState.SUBMITTED, cast.member_id, book.id, GOOD_TEXT, cast.now)
    )
    return _ids(made)


@real_values("notice_id")
def notices(cast: Cast) -> list[str]:
    """What the volunteer was told of the member's decisions (the reviews above)."""
    return _ids(db.session.scalars(select(Notice).where(Notice.user_id == cast.volunteer_id)))


@real_values("reviewer_id")
def reviewers(cast: Cast) -> list[str]:
    """The volunteer, whose reviews were published (a page only reviewers of those have)."""
    return [str(cast.volunteer_id)]


@real_values("token")
def invitation_link(cast: Cast) -> list[str]:
    _, token = invitations.create_invitation(
        cast.member, "new@example.org", "volunteer", cast.now, days=14
    )
    return [token]


@real_values("reset_token")
def password_reset_link(cast: Cast) -> list[str]:
    return [password_resets.create_reset(cast.volunteer, cast.now)]


@real_values("invitation_id")
def waiting_invitations(cast: Cast) -> list[str]:
    invitation, _ = invitations.create_invitation(
        cast.member, "waiting@example.org", "collective", cast.now, days=14
    )
    return _ids([invitation])


@real_values("person_id")
def people(cast: Cast) -> list[str]:
    """An active volunteer and a deactivated one: neither the fuzzer's own two, whose roles
    the walk needs to keep."""
    pat, lee = (
        User(
            email=f"{name.lower()}@example.org",
            display_name=name,
            role="volunteer",
            password_hash=hash_password("correct horse"),
        )
        for name in ("Pat", "Lee")
    )
    db.session.add_all([pat, lee])
    db.session.flush()
    management.deactivate(lee.id, cast.member, cast.now)
    return _ids([pat, lee])


@real_values("hold_id")
def holds(cast: Cast) -> list[str]:
    """A new hold, one ready for pickup, an order, and a special order (no book yet)."""
    book = _book("Held Book", stock=4)
    db.session.flush()

    def placed(kind: HoldKind, name: str):
        typed = placing.HoldRequest(kind, name, "robin.customer@example.org", "", 1, "")
        return placing.place_request(
            book.id, typed, secrets.token_urlsafe(16), cast.now, current_app.config["SECRET_KEY"]
        ).hold

    new, ready, order = (
        placed(HoldKind.HOLD, "New Customer"),
        placed(HoldKind.HOLD, "Ready Customer"),
        placed(HoldKind.ORDER, "Order Customer"),
    )
    desk.mark_ready(ready.id, cast.member_id, cast.now)
    customer = placing.HoldRequest(HoldKind.ORDER, "Special Customer", "", "828-555-0143", 1, "")
    special = special_orders.place_special_order(
        special_orders.SpecialOrderRequest("A Book Not Listed", "", "", "", customer),
        secrets.token_urlsafe(16),
        cast.now,
        current_app.config["SECRET_KEY"],
    ).hold
    return _ids([new, ready, order, special])


@real_values("link_token")
def hold_links(cast: Cast) -> list[str]:
    """The private links of a new hold and of an order (the customer's own pages)."""
    book = _book("Followed Book", stock=2)
    db.session.flush()
    tokens = []
    for kind in (HoldKind.HOLD, HoldKind.ORDER):
        typed = placing.HoldRequest(kind, "Robin Customer", "", "828-555-0143", 1, "")
        placed = placing.place_request(
            book.id, typed, secrets.token_urlsafe(16), cast.now, current_app.config["SECRET_KEY"]
        )
        tokens.append(placed.link_token)
    return tokens


@real_values("shelf_id")
def shelf_ids(cast: Cast) -> list[str]:
    return _ids([shelves.add_shelf("Anarchism", by=cast.by)])


@real_values("slug")
def shelf_with_a_book(cast: Cast) -> list[str]:
    shelf = shelves.add_shelf("Appalachia", by=cast.by)
    _book("Shelved Book").shelves = [shelf]
    return [shelf.slug]


@real_values("special_hours_id")
def special_hours(cast: Cast) -> list[str]:
    """A closure and changed hours, a week or two from the store's today (never in the past,
    whatever day the walk runs)."""
    today = store_today()
    closed = editing.TypedHours(False, None, None)
    shorter = editing.TypedHours(True, time(10), time(14))
    made = [
        editing.add_special_hours(
            editing.TypedSpecialHours(today + timedelta(days=days), None, day_hours, reason),
            today,
            cast.by,
        )
        for days, day_hours, reason in ((7, closed, "Stocktaking"), (14, shorter, "Short day"))
    ]
    return _ids(made)


@real_values("event_id")
def events(cast: Cast) -> list[str]:
    """A coming event, a cancelled one, one that is over, a full one with a waiting list, and a
    weekly series from SERIES_STARTS_IN days on (its first date's day is the `day` below), each
    on a day the shop opens for it (whatever day the walk runs)."""
    schedule = load_schedule(store_today(), store_timezone())

    def event(title: str, days: int, made_at: datetime, book_ids: tuple[int, ...] = (), **repeat):
        day = store_today() + timedelta(days=days)
        typed = planning.TypedEvent(
            title,
            day,
            time(19),
            time(21),
            "*Bring* a friend.",
            opens_specially=True,
            book_ids=book_ids,
            **repeat,
        )
        return planning.add_event(typed, schedule, made_at)

    # A coming event about a book: the book's page lists it, its page links to the book.
    linked = _book("Read at the Cafe")
    db.session.flush()
    coming = event("Reading", 7, cast.now, book_ids=(linked.id,))
    cancelled = planning.cancel_event(event("Film night", 14, cast.now), cast.now)
    over = event("Book club", -7, cast.now - timedelta(days=30))
    full, _ = _event_with_sign_ups(cast, "Zine workshop", 10)
    weekly = {"repeat": "weekly", "repeat_until": store_today() + timedelta(days=70)}
    repeating = event("Zine swap", SERIES_STARTS_IN, cast.now, **weekly)
    return _ids([coming, cancelled, over, full, repeating])


SERIES_STARTS_IN = 21


@real_values("day")
def series_days(cast: Cast) -> list[str]:
    """The first date of the weekly series above, as the desk's date pages name it."""
    return [(store_today() + timedelta(days=SERIES_STARTS_IN)).isoformat()]


def _event_with_sign_ups(cast: Cast, title: str, days: int):
    """An event of 2 places, full, with one person waiting: its sign-ups' lists and links."""
    day = store_today() + timedelta(days=days)
    typed = planning.TypedEvent(title, day, time(19), time(21), capacity=2, opens_specially=True)
    event = planning.add_event(typed, load_schedule(store_today(), store_timezone()), cast.now)
    signed = [
        signing_up.sign_up(
            event.id,
            date_value(event.starts_at),
            signing_up.SignUpRequest(name, "", "828-555-0143", places, waiting),
            secrets.token_urlsafe(16),
            cast.now,
            current_app.config["SECRET_KEY"],
            store_timezone(),
        )
        for name, places, waiting in (("Pat Signed", 2, False), ("Lee Waiting", 1, True))
    ]
    return event, [one.link_token for one in signed]


@real_values("sign_up_token")
def sign_up_links(cast: Cast) -> list[str]:
    """The private links of a sign-up with places and of one on the waiting list."""
    _, tokens = _event_with_sign_ups(cast, "Poetry night", 12)
    return tokens


@real_values("weekday")
def weekdays(cast: Cast) -> list[str]:
    return ["0", "3", "6"]


@real_values("import_id")
def csv_imports(cast: Cast) -> list[str]:
    data = csv_bytes(row("Imported Book", isbn=isbn13(7), stock="2"))
    # In this app context: the helper's own `with` would open another, with another session.
    imported = import_file(nullcontext, data, member_id=cast.member_id)
    return [str(imported.import_id)]


@real_values("name")
def cover_files(cast: Cast) -> list[str]:
    book = _book("Covered Book")
    covers.store_cover(book, jpeg(), Path(current_app.config["COVERS_DIR"]))
    db.session.flush()
    display, thumbnail = covers.cover_image(book), covers.cover_image(book, thumbnail=True)
    return [display.file_name, thumbnail.file_name, display.jpeg_name]


@real_values("digest")
def share_cards(cast: Cast) -> list[str]:
    """The shop's card, and a book's (any other digest is sent on to the card as it is)."""
    config = current_app.config
    book = _book("Shared Book")
    db.session.flush()
    return [
        cards.store_card(config["STORE_NAME"], config["STORE_ADDRESS"]).digest,
        cards.book_card(book.title, book.author_names, book.id, config["STORE_NAME"]).digest,
    ]


@real_values("number")
def sitemap_files(cast: Cast) -> list[str]:
    return ["1"]


@real_values("isbn13")
def book_lookups(cast: Cast) -> list[str]:
    """Open Library's answer about an ISBN, kept with its cover's thumbnail."""
    db.session.add(
        BookLookup(
            isbn13="9780262033848",
            outcome="found",
            facts='{"title": "Introduction to Algorithms"}',
            cover=jpeg(),
            cover_thumbnail=covers.checked_thumbnail(jpeg()),
            looked_up_at=cast.now,
        )
    )
    return ["9780262033848"]


@real_values("line_id")
def delivery_lines(cast: Cast) -> list[str]:
    """The member's open delivery: a book received (+1), and an ISBN the catalog lacks."""
    book = _book("Delivered", isbn13=isbn13(9), stock=1)
    db.session.flush()
    received = deliveries.scan(cast.member_id, book.isbn13 or "", cast.now)
    unknown = deliveries.scan(cast.member_id, "9780262033848", cast.now)
    return [str(received.line.id), str(unknown.line.id)]


@real_values("delivery_id")
def finished_delivery(cast: Cast) -> list[str]:
    """The member's delivery (open: delivery_lines made it)."""
    return _ids(db.session.scalars(select(Delivery)))


@real_values("book_id")
def every_book(cast: Cast) -> list[str]:
    """The others' books (reviewed, held, shelved, imported, with a cover), and one in stock
    with an ISBN."""
    _book("In Stock", isbn13="9781849350112", stock=3)
    db.session.flush()
    return _ids(db.session.scalars(select(Book)))


def make_real_values(cast: Cast) -> dict[str, list[str]]:
    """Every registered variable's values (call in an app context); the rows committed."""
    values = {}
    for name, make in REAL_VALUES.items():
        values[name] = make(cast)
        db.session.commit()
    return values
