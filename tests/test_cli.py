"""The flask commands: seed-demo and create-user."""

import csv
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from firestorm.catalog.models import Book, StockChange
from firestorm.cli.demo import DEMO_BOOKS
from firestorm.csv.models import CsvImport
from firestorm.database import db
from firestorm.notices.models import Notice
from firestorm.people.models import User
from firestorm.people.passwords import verify_password
from firestorm.reviews import approvals
from firestorm.reviews.models import Review, ReviewEvent

DEMO_NOW = datetime(2030, 3, 5, 15, 0, tzinfo=UTC)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_fills_an_empty_catalog_and_prints_the_sign_ins(runner, in_app):
    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0
    assert "robin@example.org" in result.output and "firestorm-demo" in result.output
    with in_app():
        seed_book = db.session.scalar(select(Book).where(Book.isbn13 == "9781849350112"))
        assert seed_book.title == "Dispersing Power"
        assert seed_book.subtitle == "Social Movements as Anti-State Forces"
        assert seed_book.publisher == "AK Press" and seed_book.stock == 2
        assert str(seed_book.release_date) == "2010-07-01"
        assert count(Book) >= 41
        assert count(Review) >= 3
        assert approvals.queue_size() == 2
        # Each book's stock came in through the import's stock log.
        logged = db.session.execute(
            select(StockChange.book_id, func.sum(StockChange.delta))
            .where(StockChange.reason == "import")
            .group_by(StockChange.book_id)
        ).all()
        stocked = db.session.execute(select(Book.id, Book.stock).where(Book.stock > 0)).all()
        assert sorted(logged) == sorted(stocked) and count(StockChange) == len(stocked)


def test_seeded_reviews_carry_the_history_the_workflow_leaves(runner, in_app):
    runner.invoke(args=["seed-demo"])

    with in_app():
        for review in db.session.scalars(select(Review)):
            steps = db.session.execute(
                select(ReviewEvent.action, User.role, ReviewEvent.actor_id)
                .join(User, User.id == ReviewEvent.actor_id)
                .where(ReviewEvent.review_id == review.id)
                .order_by(ReviewEvent.id)
            ).all()
            if review.state == "submitted":
                assert [action for action, _, _ in steps] == ["submitted"]
                continue
            assert [action for action, _, _ in steps] == ["submitted", "approved", "published"]
            _, approver_role, approver_id = steps[1]
            assert approver_role == "collective" and approver_id != review.reviewer_id


def test_seeded_reviews_went_through_the_workflow_at_the_demo_s_dates(runner, in_app, clock):
    clock(DEMO_NOW)

    runner.invoke(args=["seed-demo"])

    with in_app():
        reviews = db.session.scalars(select(Review).options(selectinload(Review.book))).all()
        published = [review for review in reviews if review.state == "published"]
        assert len(published) == 9 and len(reviews) == 11
        for review in published:
            events = approvals.history_of(review.id)
            submitted, approved, publishing = events
            assert submitted.actor_id == review.reviewer_id
            assert submitted.created_at == review.submitted_at == review.published_at - timedelta(1)
            assert approved.actor_id == publishing.actor_id != review.reviewer_id
            assert approved.created_at == publishing.created_at == review.published_at
            assert review.published_body == review.body and review.updated_at == review.published_at
            assert review.book.last_reviewed_at >= review.published_at
            notice = db.session.scalars(select(Notice).where(Notice.review_id == review.id)).one()
            assert (notice.kind, notice.user_id) == ("published", review.reviewer_id)
            assert notice.created_at == review.published_at
            recent = DEMO_NOW - review.published_at <= timedelta(days=14)
            assert (notice.read_at is None) == recent, review.book.title


def test_seed_demo_leaves_a_catalog_that_has_books_alone(runner, in_app, make_book):
    make_book("Already here")

    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0
    assert "in use" in result.output
    with in_app():
        assert count(Book) == 1


def test_seed_demo_never_adds_demo_accounts_to_a_live_site(runner, in_app, make_user):
    make_user("collective", email="first@firestorm.example")

    result = runner.invoke(args=["seed-demo"])

    assert "in use" in result.output
    assert "firestorm-demo" not in result.output
    with in_app():
        assert count(User) == 1 and count(Book) == 0


def test_seeded_demo_data_shows_on_the_site(runner, client):
    runner.invoke(args=["seed-demo"])

    search = client.get("/books?q=dispersing").get_data(as_text=True)
    book_link = search.split('href="/books/')[1].split('"')[0]
    book_page = client.get(f"/books/{book_link}").get_data(as_text=True)

    assert "2 copies in stock" in book_page
    assert "978-1-84935-011-2" in book_page
    assert "reviewed by" in book_page


def test_create_user_reads_the_password_from_standard_input(runner, in_app):
    result = runner.invoke(
        args=["create-user", "Sam@Example.org", "--name", "Sam Okafor", "--role", "collective"],
        input="a long passphrase\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created collective Sam Okafor <sam@example.org>." in result.output
    with in_app():
        user = db.session.scalar(select(User).where(User.email == "sam@example.org"))
        assert user.role == "collective"
        assert verify_password(user.password_hash, "a long passphrase")
        assert "a long passphrase" not in user.password_hash


def test_create_user_refuses_bad_input_in_plain_words(runner, make_user, in_app):
    make_user(email="taken@example.org")
    attempts = [
        (["not-an-email", "--name", "X"], "good password", "doesn't look like an email"),
        (["a@example.org", "--name", "X"], "short", "at least 8 characters"),
        (["a@example.org", "--name", "   "], "good password", "display name"),
        (["taken@example.org", "--name", "X"], "good password", "already an account"),
        (["a@example.org", "--name", "X", "--role", "boss"], "good password", "boss"),
    ]
    for args, password, message in attempts:
        result = runner.invoke(args=["create-user", *args], input=password + "\n")
        assert result.exit_code != 0
        assert message in result.output
    with in_app():
        assert count(User) == 1


def test_create_user_takes_no_password_argument(runner):
    result = runner.invoke(
        args=["create-user", "a@example.org", "--name", "A", "--password", "secret123"]
    )

    assert result.exit_code == 2
    assert "No such option" in result.output


def test_seed_demo_run_again_still_prints_the_demo_sign_ins(runner, in_app):
    runner.invoke(args=["seed-demo"])

    result = runner.invoke(args=["seed-demo"])

    assert "already here" in result.output
    assert "sam@example.org" in result.output
    with in_app():
        assert count(User) == 5


def test_set_password_gives_a_forgotten_account_a_new_password(runner, in_app, make_user):
    person = make_user(email="robin@example.org", password="old password")
    with in_app():
        user = db.session.get(User, person.id)
        version_before = user.session_version

    result = runner.invoke(args=["set-password", "Robin@example.org"], input="new passphrase\n")

    assert result.exit_code == 0, result.output
    assert "signed out everywhere" in result.output
    with in_app():
        user = db.session.get(User, person.id)
        assert verify_password(user.password_hash, "new passphrase")
        assert user.session_version == version_before + 1


def test_set_password_refuses_unknown_accounts_and_weak_passwords(runner, make_user):
    make_user(email="robin@example.org")

    unknown = runner.invoke(args=["set-password", "nobody@example.org"], input="new passphrase\n")
    weak = runner.invoke(args=["set-password", "robin@example.org"], input="password\n")

    assert unknown.exit_code != 0 and "no account for nobody@example.org" in unknown.output
    assert weak.exit_code != 0 and "common" in weak.output.lower()


def test_seed_demo_puts_books_on_the_collectives_shelves(runner, client):
    result = runner.invoke(args=["seed-demo"])

    assert "on 7 shelves" in result.output
    shelves_page = client.get("/shelves").get_data(as_text=True)
    assert '<a href="/shelves/anarchism">Anarchism</a>' in shelves_page
    assert '<a href="/shelves/staff-picks">Staff picks</a>' in shelves_page
    kids = client.get("/shelves/kids").get_data(as_text=True)
    assert "3 books on the shelf “Kids”" in kids and "The Lorax" in kids


def demo_file_rows() -> dict[str, dict[str, str]]:
    with DEMO_BOOKS.open(encoding="utf-8", newline="") as file:
        return {row["title"]: row for row in csv.DictReader(file)}


def test_seed_demo_imports_its_books_from_the_demo_file(runner, in_app, clock):
    clock(DEMO_NOW)
    rows = demo_file_rows()

    runner.invoke(args=["seed-demo"])

    with in_app():
        record = db.session.scalars(select(CsvImport)).one()
        assert (record.file_name, record.imported_by_id) == ("demo_books.csv", None)
        assert record.added == count(Book) == len(rows) == 52
        books = db.session.scalars(select(Book).options(selectinload(Book.shelves))).all()
        for book in books:
            row = rows[book.title]
            shelves = sorted(shelf.name for shelf in book.shelves)
            assert shelves == sorted(filter(None, row["shelves"].split("; "))), book.title
            assert book.stock == int(row["stock"]) and book.description == row["description"]
            added_days_ago = int(row["added days ago"])
            assert book.created_at == DEMO_NOW - timedelta(days=added_days_ago), book.title
        kindred = next(book for book in books if book.title == "Kindred")
        assert {shelf.name for shelf in kindred.shelves} == {"Speculative Fiction", "Staff picks"}
