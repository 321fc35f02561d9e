"""`flask --app app seed-demo`: an empty site filled with demo books, people and reviews."""

import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select, update

from firestorm.catalog.models import Book, StockChange
from firestorm.cli import catalog as catalog_commands
from firestorm.cli import demo_data
from firestorm.csv.models import CsvImport
from firestorm.database import db
from firestorm.holds import desk, placing
from firestorm.notices import inbox
from firestorm.people import accounts
from firestorm.people.models import User
from firestorm.reviews import approvals, workflow
from firestorm.reviews.models import Review
from firestorm.shop import editing
from firestorm.web import clock

DEMO_PASSWORD = "firestorm-demo"
# The demo's catalog: the columns import-books reads, and one more that the import leaves alone.
DEMO_BOOKS = Path(__file__).with_name("demo_books.csv")
# How long ago each book came in: the import adds every book now, but the demo's catalog grew
# over the years, so "newest" and the stock logs read as a shop's would.
ADDED_DAYS_AGO = "added days ago"
# Authors of reviews published this recently find the notice unread on their dashboard; the
# others read theirs the day after.
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
    record = _import_demo_books(now)
    books = {
        book.isbn13: book
        for book in db.session.scalars(select(Book).where(Book.isbn13.is_not(None)))
    }
    published = sorted(demo_data.REVIEWS, key=lambda entry: -entry["days_ago"])
    for entry in published:  # oldest first, as they happened
        _publish_demo_review(entry, books[entry["isbn"]], people, now)
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
        f"Added {record.added} books on {len(record.added_shelf_ids)} shelves, "
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


def _import_demo_books(now: datetime) -> CsvImport:
    """The demo's catalog, imported from its file as import-books imports one (with the shelves
    it names), and recorded like any import; then each book dated when it came in."""
    table = catalog_commands.read_file(DEMO_BOOKS)
    added_days_ago = _added_days_ago(table)
    _, record = catalog_commands.import_table(
        table, DEMO_BOOKS.name, now, "seed-demo", add_shelves=True
    )
    if record.added != len(table.rows):
        raise click.ClickException(
            f"{DEMO_BOOKS} did not import whole ({record.refused} rows refused, "
            f"{record.renames_left} left): `flask import-books --dry-run` on it says why."
        )
    for title, days_ago in added_days_ago.items():
        _date_arrival(title, now - timedelta(days=days_ago))
    return record


def _added_days_ago(table: catalog_commands.CsvTable) -> dict[str, int]:
    """{title: days since the book came in}, from the column the import leaves alone."""
    if table.ignored != (ADDED_DAYS_AGO,):
        raise click.ClickException(f"{DEMO_BOOKS} should have one more column: {ADDED_DAYS_AGO}.")
    [added] = set(range(table.width)) - set(table.columns.values())
    title = table.columns["title"]
    return {cells[title].strip(): int(cells[added]) for _, cells in table.rows}


def _date_arrival(title: str, added_at: datetime) -> None:
    """The book, and the stock the import gave it, dated when it came in."""
    book_id = db.session.scalar(select(Book.id).where(Book.title == title))
    db.session.execute(update(Book).where(Book.id == book_id).values(created_at=added_at))
    db.session.execute(
        update(StockChange).where(StockChange.book_id == book_id).values(created_at=added_at)
    )


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
    hold = placing.place_request(
        book.id, request, secrets.token_urlsafe(24), placed_at, current_app.config["SECRET_KEY"]
    ).hold
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


def _publish_demo_review(entry: dict, book: Book, people: dict[str, User], now: datetime) -> None:
    """A review submitted, then approved and published the day after by the collective (as
    many members as the site's rule asks for, the author apart)."""
    published_at = now - timedelta(days=entry["days_ago"])
    reviewer = people[entry["reviewer"]]
    review = _demo_review(entry, book, reviewer, published_at - timedelta(days=1))
    required = current_app.config["REVIEW_APPROVALS_REQUIRED"]
    deciders = [member for member in people.values() if member.is_collective]
    for member in deciders:
        if member is not reviewer and approvals.approve_review(
            review, member, published_at, required, seen_round=review.round
        ):
            break
    # Publishing flushes after the approval, and the flush stamps the row with the clock's time.
    review.updated_at = published_at
    if entry["days_ago"] > UNREAD_NOTICE_DAYS:
        inbox.mark_all_read(reviewer, published_at + timedelta(days=1))


def _submit_demo_review(entry: dict, book: Book, reviewer: User, now: datetime) -> None:
    """A review waiting in the approval queue, as its author left it."""
    _demo_review(entry, book, reviewer, now - timedelta(days=entry["days_ago"]))


def _demo_review(entry: dict, book: Book, reviewer: User, submitted_at: datetime) -> Review:
    """The review as its author wrote it and sent it to the collective at `submitted_at`."""
    config = current_app.config
    review = workflow.start_review(reviewer, book)
    workflow.save_draft(
        review,
        reviewer,
        entry["body"],
        max_length=config["REVIEW_MAX_LENGTH"],
        seen_version=review.version,
    )
    workflow.submit_review(
        review, reviewer, submitted_at, config["REVIEW_MIN_LENGTH"], config["REVIEW_MAX_LENGTH"]
    )
    # Starting and saving take the clock's time; the demo's author wrote it as they sent it.
    review.created_at = review.updated_at = submitted_at
    return review
