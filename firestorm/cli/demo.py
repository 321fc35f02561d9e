"""`flask --app app seed-demo`: an empty site filled with demo books, people and reviews."""

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from firestorm.catalog import books, shelves
from firestorm.catalog.models import Book, Shelf, StockChange
from firestorm.cli import demo_data
from firestorm.database import db
from firestorm.holds import desk, placing
from firestorm.notices import inbox
from firestorm.notices.models import NoticeKind
from firestorm.people import accounts
from firestorm.people.models import Role, User
from firestorm.reviews.models import Review, ReviewAction, ReviewEvent, ReviewState
from firestorm.shop import editing
from firestorm.web import clock

DEMO_PASSWORD = "firestorm-demo"
# Authors of reviews published this recently find the notice unread on their dashboard.
UNREAD_NOTICE_DAYS = 14


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill an empty catalog with demo books, volunteers and reviews."""
    if _demo_accounts_exist():
        click.echo("The demo data is already here.")
        print_demo_sign_ins()
        return
    # A live site has its people (at least the first collective member) before it has books:
    # demo accounts with a published password must never be added to it.
    if db.session.scalar(select(func.count()).select_from(Book)) or _has_people():
        click.echo(
            "This database is in use (it has books or people): seed-demo only fills an empty one."
        )
        return
    now = clock.current_time()
    people = {person["email"]: _demo_user(person) for person in demo_data.VOLUNTEERS}
    shelves_of = _demo_shelves()
    books = {}
    entry: Any  # demo_data's entries: dicts of mixed values, each list its own keys
    for entry in demo_data.BOOKS:
        book = _demo_book(entry, now)
        book.shelves = shelves_of.get(entry["title"], [])
        books[entry["isbn"] or entry["title"]] = book
    db.session.flush()
    for entry in demo_data.REVIEWS:
        reviewer = people[entry["reviewer"]]
        _publish_demo_review(entry, books[entry["isbn"]], reviewer, people, now)
    for entry in demo_data.WAITING_REVIEWS:
        _submit_demo_review(entry, books[entry["isbn"]], people[entry["reviewer"]], now)
    member = next(person for person in people.values() if person.is_collective)
    for entry in demo_data.HOLDS:
        _place_demo_hold(entry, books[entry["isbn"]], member, now)
    today = now.astimezone(clock.store_timezone()).date()
    for entry in demo_data.SPECIAL_HOURS:
        editing.add_special_hours(_demo_special_hours(entry, today), today, by="seed-demo")
    db.session.commit()
    reviews_added = len(demo_data.REVIEWS) + len(demo_data.WAITING_REVIEWS)
    click.echo(
        f"Added {len(books)} books on {len(demo_data.SHELVES)} shelves, "
        f"{reviews_added} reviews, {len(demo_data.HOLDS)} holds, {len(people)} people."
    )
    print_demo_sign_ins()


def print_demo_sign_ins() -> None:
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for person in demo_data.VOLUNTEERS:
        click.echo(f"  {person['email']:<22} {person['role']}")


def _has_people() -> bool:
    return db.session.execute(select(func.count()).select_from(User)).scalar_one() > 0


def _demo_accounts_exist() -> bool:
    demo_emails = [person["email"] for person in demo_data.VOLUNTEERS]
    counted = select(func.count(User.id)).where(User.email.in_(demo_emails))
    return db.session.execute(counted).scalar_one() > 0


def _demo_user(person: dict) -> User:
    return accounts.create_user(
        person["email"], person["display_name"], person["role"], DEMO_PASSWORD
    )


def _demo_shelves() -> dict[str, list[Shelf]]:
    """The demo's shelves, added as a member adds them: {book title: its shelves}."""
    shelves_of: dict[str, list[Shelf]] = {}
    for name, titles in demo_data.SHELVES.items():
        shelf = shelves.add_shelf(name, by="seed-demo")
        for title in titles:
            shelves_of.setdefault(title, []).append(shelf)
    return shelves_of


def _demo_book(entry: dict, now: datetime) -> Book:
    book = books.add_book(
        title=entry["title"],
        subtitle=entry["subtitle"],
        authors=entry["authors"],
        publisher=entry["publisher"],
        release_date=entry["release_date"],
        isbn13=entry["isbn"],
        description=entry["description"],
        stock=entry["stock"],
    )
    book.created_at = now - timedelta(days=entry["added_days_ago"])
    db.session.add(
        StockChange(
            book=book,
            delta=entry["stock"],
            stock_after=entry["stock"],
            reason="Opening stock (demo data)",
            created_at=book.created_at,
        )
    )
    return book


def _place_demo_hold(entry: dict, book: Book, member: User, now: datetime) -> None:
    """A customer's hold or order, placed as the public form places it."""
    placed_at = now - timedelta(hours=entry["hours_ago"])
    request = placing.HoldRequest(
        kind=entry["kind"],
        name=entry["name"],
        email=entry["email"],
        phone=entry["phone"],
        quantity=entry["quantity"],
        note=entry["note"],
    )
    hold = placing.place_request(book.id, request, secrets.token_urlsafe(24), placed_at).hold
    if entry["ready"]:
        desk.mark_ready(hold.id, member.id, placed_at + timedelta(hours=1))


def _demo_special_hours(entry: dict, today: date) -> editing.TypedSpecialHours:
    first_day = today + timedelta(days=entry["in_days"])
    opens, closes = map(time.fromisoformat, entry["hours"]) if entry["hours"] else (None, None)
    return editing.TypedSpecialHours(
        first_day=first_day,
        last_day=first_day + timedelta(days=entry["days"] - 1),
        hours=editing.TypedHours(is_open=entry["hours"] is not None, opens=opens, closes=closes),
        reason=entry["reason"],
    )


def _publish_demo_review(
    entry: dict, book: Book, reviewer: User, people: dict[str, User], now: datetime
) -> None:
    """A review with the history the workflow would have left: submitted, approved, published."""
    published_at = now - timedelta(days=entry["days_ago"])
    submitted_at = published_at - timedelta(days=1)
    approver = next(
        person
        for person in people.values()
        if person.role == Role.COLLECTIVE and person is not reviewer
    )
    review = Review(
        book=book,
        reviewer=reviewer,
        state=ReviewState.PUBLISHED,
        body=entry["body"],
        published_body=entry["body"],
        published_at=published_at,
        submitted_at=submitted_at,
        round=1,
        created_at=submitted_at,
        updated_at=published_at,
    )
    steps = [
        (reviewer, ReviewAction.SUBMITTED, submitted_at),
        (approver, ReviewAction.APPROVED, published_at),
        (approver, ReviewAction.PUBLISHED, published_at),
    ]
    db.session.add(review)
    db.session.add_all(
        ReviewEvent(review=review, actor=actor, action=action, round=1, created_at=moment)
        for actor, action, moment in steps
    )
    if book.last_reviewed_at is None or book.last_reviewed_at < published_at:
        book.last_reviewed_at = published_at
    if entry["days_ago"] <= UNREAD_NOTICE_DAYS:
        db.session.flush()  # the notice names the review by its id
        inbox.tell_author(review, approver, NoticeKind.PUBLISHED, published_at)


def _submit_demo_review(entry: dict, book: Book, reviewer: User, now: datetime) -> None:
    """A review waiting in the approval queue, as its author left it."""
    submitted_at = now - timedelta(days=entry["days_ago"])
    review = Review(
        book=book,
        reviewer=reviewer,
        state=ReviewState.SUBMITTED,
        body=entry["body"],
        submitted_at=submitted_at,
        round=1,
        created_at=submitted_at,
        updated_at=submitted_at,
    )
    db.session.add(review)
    db.session.add(
        ReviewEvent(
            review=review,
            actor=reviewer,
            action=ReviewAction.SUBMITTED,
            round=1,
            created_at=submitted_at,
        )
    )
