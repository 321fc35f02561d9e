"""The load test's starting point: members and volunteers, books in stock with their opening
count logged, and a few drafts for each volunteer."""

from datetime import UTC, datetime

import flask_migrate

from firestorm import create_app
from firestorm.catalog import books
from firestorm.catalog.models import Book, StockChange
from firestorm.database import db
from firestorm.people.models import User
from firestorm.people.passwords import hash_password
from firestorm.reviews import workflow

DRAFTS_EACH = 5


def seed(database_url: str, people: int, book_count: int, stock: int, password: str) -> list[dict]:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x"})
    with app.app_context():
        flask_migrate.upgrade()
        catalog = [add_book(number, stock) for number in range(book_count)]
        password_hash = hash_password(password)
        seeded = [
            add_person(index, "volunteer" if index % 2 == 0 else "collective", password_hash)
            for index in range(people)
        ]
        db.session.flush()
        for index, (person, user) in enumerate(seeded):
            if user.role == "volunteer":
                person["reviews"] = start_drafts(user, catalog, index)
        db.session.commit()
        db.engine.dispose()
    return [person for person, _ in seeded]


def add_book(number: int, stock: int) -> Book:
    book = books.add_book(title=f"Load book {number}", authors=[f"Author {number}"], stock=stock)
    db.session.add(
        StockChange(
            book=book,
            delta=stock,
            stock_after=stock,
            reason="Opening stock",
            created_at=datetime.now(UTC),
        )
    )
    return book


def add_person(index: int, role: str, password_hash: str) -> tuple[dict, User]:
    email = f"load{index}@example.org"
    user = User(email=email, display_name=f"Load {index}", role=role, password_hash=password_hash)
    db.session.add(user)
    return {"email": email, "role": role, "index": index}, user


def start_drafts(user: User, catalog: list[Book], index: int) -> list[int]:
    drafts = []
    for offset in range(DRAFTS_EACH):
        book = catalog[(index * DRAFTS_EACH + offset) % len(catalog)]
        review = workflow.start_review(user, book)
        db.session.flush()
        drafts.append(review.id)
    return drafts
