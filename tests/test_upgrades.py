"""Upgrades keep data: a database made by the first migration, filled with rows, upgraded to
the newest schema (and back down), on a fresh SQLite file and on a PostgreSQL database of its
own."""

import os
from datetime import UTC, date, datetime, time

import flask_migrate
import pytest
from database_helpers import scratch_postgres_database
from sqlalchemy import MetaData, inspect, select

from firestorm.database import db
from firestorm.holds import special_orders
from firestorm.holds.placing import HoldRequest
from firestorm.search import index

FIRST_REVISION = "6799e279cef4"
CREATED = datetime(2026, 11, 20, 14, 30)
PUBLISHED = datetime(2026, 11, 22, 9, 15)
REVIEW = "How the Aymara of El Alto organise without a state, told by someone who was there."

# One or more rows for every table the first migration made, in an order the foreign keys
# accept, with every column given a value that is not its default.
ROWS_AT_FIRST_REVISION = {
    "authors": [{"id": 1, "name": "Raúl Zibechi"}, {"id": 2, "name": "adrienne maree brown"}],
    "books": [
        {
            "id": 1,
            "title": "Dispersing Power",
            "subtitle": "Social Movements as Anti-State Forces",
            "sort_title": "dispersing power",
            "publisher": "AK Press",
            "release_date": date(2010, 7, 1),
            "isbn13": "9781849350112",
            "description": "How the Aymara of El Alto organise without a state.",
            "cover_key": "3fa9c0de",
            "stock": 2,
            "search_text": "dispersing power raúl zibechi ak press 9781849350112",
            "created_at": CREATED,
            "updated_at": PUBLISHED,
            "last_reviewed_at": PUBLISHED,
        },
        {
            "id": 2,
            "title": "Emergent Strategy",
            "subtitle": "",
            "sort_title": "emergent strategy",
            "publisher": "",
            "release_date": None,
            "isbn13": None,
            "description": "",
            "cover_key": None,
            "stock": 0,
            "search_text": "emergent strategy adrienne maree brown",
            "created_at": CREATED,
            "updated_at": CREATED,
            "last_reviewed_at": None,
        },
    ],
    "users": [
        {
            "id": 1,
            "email": "robin@example.org",
            "display_name": "Robin",
            "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
            "role": "volunteer",
            "is_active": True,
            "created_at": CREATED,
        },
        {
            "id": 2,
            "email": "sam@example.org",
            "display_name": "Sam",
            "password_hash": None,
            "role": "collective",
            "is_active": False,
            "created_at": CREATED,
        },
    ],
    "closures": [
        {
            "id": 1,
            "first_day": date(2026, 12, 24),
            "last_day": date(2026, 12, 26),
            "reason": "Holidays",
        }
    ],
    "opening_hours": [
        {"weekday": 0, "opens": None, "closes": None},
        {"weekday": 1, "opens": time(8, 0), "closes": time(21, 0)},
    ],
    "authorships": [
        {"book_id": 1, "author_id": 1, "position": 0},
        {"book_id": 2, "author_id": 2, "position": 0},
    ],
    "reviews": [
        {
            "id": 1,
            "book_id": 1,
            "reviewer_id": 1,
            "state": "published",
            "body": REVIEW,
            "published_body": REVIEW,
            "published_at": PUBLISHED,
            "created_at": CREATED,
            "updated_at": PUBLISHED,
            "version": 3,
        },
        {
            "id": 2,
            "book_id": 2,
            "reviewer_id": 2,
            "state": "draft",
            "body": "Half a thought.",
            "published_body": None,
            "published_at": None,
            "created_at": CREATED,
            "updated_at": CREATED,
            "version": 1,
        },
    ],
    "stock_changes": [
        {
            "id": 1,
            "book_id": 1,
            "changed_by_id": 2,
            "delta": 2,
            "stock_after": 2,
            "reason": "Delivery from AK Press",
            "created_at": CREATED,
        }
    ],
}

# What a row made before a column existed holds in it after the upgrade: a value, or what
# makes it from the old row. A migration that adds a column to one of these tables adds it
# here. (A column listed here that the schema does not have is not checked, so the list can
# run ahead of a migration still being written.)
FOLDED_NAMES = {"Raúl Zibechi": "raul zibechi", "adrienne maree brown": "adrienne maree brown"}
NEW_COLUMNS_IN_OLD_ROWS = {
    "authors": {"name_key": lambda author: FOLDED_NAMES[author["name"]]},
    "books": {
        "cover_width": None,
        "cover_height": None,
        "hidden": False,
        "price": None,
        "format": "",
        "page_count": None,
    },
    "reviews": {"submitted_at": None, "round": 0, "revised_at": None},
    "closures": {"opens": None, "closes": None},
    "opening_hours": {"note": ""},
    "users": {"session_version": 1, "last_signed_in_at": None},
}


# Columns a later migration drops, with what replaced them.
DROPPED = {"books": {"search_text"}}  # the search index (indexed_books) since a4c1e5f0b7d2

# Tables a later migration renames, with their rows: {old name: new name}.
RENAMED = {"closures": "special_hours"}  # one name for closures and changed hours


def new_columns_expected(table: str, before: dict, after: dict) -> dict:
    expected = NEW_COLUMNS_IN_OLD_ROWS.get(table, {})
    return {
        column: value(before) if callable(value) else value
        for column, value in expected.items()
        if column in after
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, database_url, tmp_path):
    """The URL of an empty database of the test's own: a SQLite file, or a PostgreSQL database
    made beside the shared test database and dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    if not database_url.startswith("postgres"):
        pytest.skip(
            "the PostgreSQL upgrade needs a server; this run uses SQLite (make test-postgres "
            "sets FIRESTORM_TEST_DATABASE_URL)"
        )
    with scratch_postgres_database(database_url, f"upgrade_test_{os.getpid()}") as url:
        yield url


def rows_now() -> dict[str, list[dict]]:
    """Every row of every table, in primary key order, column by column."""
    tables = MetaData()
    tables.reflect(bind=db.engine)
    with db.engine.connect() as connection:
        return {
            table.name: [
                dict(row._mapping)
                for row in connection.execute(select(table).order_by(*table.primary_key))
            ]
            for table in tables.sorted_tables
        }


def insert(rows_by_table: dict[str, list[dict]]) -> None:
    tables = MetaData()
    tables.reflect(bind=db.engine)
    with db.engine.begin() as connection:
        for name, rows in rows_by_table.items():
            connection.execute(tables.tables[name].insert(), rows)


def test_upgrading_from_the_first_migration_keeps_every_row(empty_database, other_app):
    shop = other_app(DATABASE_URL=empty_database)
    with shop.app_context():
        flask_migrate.upgrade(revision=FIRST_REVISION)
        first_tables = set(inspect(db.engine).get_table_names())
        insert(ROWS_AT_FIRST_REVISION)

        flask_migrate.upgrade()
        upgraded = rows_now()
        db.engine.dispose()

    assert first_tables == {*ROWS_AT_FIRST_REVISION, "alembic_version"}
    for table, rows_before in ROWS_AT_FIRST_REVISION.items():
        rows_after = upgraded[RENAMED.get(table, table)]
        assert len(rows_after) == len(rows_before), table
        kept_columns = [c for c in rows_before[0] if c not in DROPPED.get(table, ())]
        for before, after in zip(rows_before, rows_after, strict=True):
            assert {column: after.get(column, "(dropped)") for column in kept_columns} == {
                column: before[column] for column in kept_columns
            }
            assert not DROPPED.get(table, set()) & after.keys(), f"{table}: still there"
            added = {column: value for column, value in after.items() if column not in before}
            assert added == new_columns_expected(table, before, after), (
                f"{table}: say in NEW_COLUMNS_IN_OLD_ROWS what rows made before a new column "
                "existed hold in it"
            )


def test_the_upgraded_site_shows_the_old_books_and_reviews(empty_database, other_app):
    shop = other_app(DATABASE_URL=empty_database)
    with shop.app_context():
        flask_migrate.upgrade(revision=FIRST_REVISION)
        insert(ROWS_AT_FIRST_REVISION)
        flask_migrate.upgrade()

    book_page = shop.test_client().get("/books/1")
    reviews_page = shop.test_client().get("/reviews")

    assert book_page.status_code == 200
    assert "Dispersing Power" in book_page.text and REVIEW in book_page.text
    assert "Robin" in reviews_page.text and "Half a thought" not in reviews_page.text


def test_downgrading_to_the_first_migration_keeps_the_rows_then_base_removes_all(
    empty_database, other_app
):
    shop = other_app(DATABASE_URL=empty_database)
    with shop.app_context():
        flask_migrate.upgrade(revision=FIRST_REVISION)
        insert(ROWS_AT_FIRST_REVISION)
        flask_migrate.upgrade()

        flask_migrate.downgrade(revision=FIRST_REVISION)
        after_downgrade = rows_now()
        flask_migrate.downgrade(revision="base")
        tables_left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()

    # A dropped column comes back empty (its migration says so); every other value is kept.
    assert after_downgrade == {
        **{
            table: [{**row, **dict.fromkeys(DROPPED.get(table, ()), "")} for row in rows]
            for table, rows in ROWS_AT_FIRST_REVISION.items()
        },
        "alembic_version": [{"version_num": FIRST_REVISION}],
    }
    assert tables_left == set()


# --- The rules the schema keeps (e0a0d4deb984) ------------------------------------------------

BEFORE_THE_RULES = "87d28f493f2e"
PLACED, READY, ENDED = (datetime(2026, 11, 20, hour) for hour in (10, 11, 12))


def hold_row(number: int, state: str, **dates) -> dict:
    """A hold as the desk leaves it in `state` (the dates and reason given)."""
    return {
        "id": number,
        "reference": f"REF{number:03d}",
        "request_key": f"key-{number}",
        "book_id": 1,
        "kind": "hold",
        "state": state,
        "quantity": 1,
        "customer_name": "Robin Customer",
        "customer_email": "robin.customer@example.org",
        "customer_phone": "",
        "note": "",
        "created_at": PLACED,
        "ready_at": None,
        "ended_at": None,
        "cancel_reason": "",
        "handled_by_id": None,
        "erased_at": None,
        **dates,
    }


def rows_the_app_writes() -> dict[str, list[dict]]:
    """Rows of the tables the rules are about, as the app writes them, before the rules."""
    rows = {table: ROWS_AT_FIRST_REVISION[table] for table in ("authors", "books", "users")}
    rows["users"] = [{**user, "session_version": 1} for user in rows["users"]]
    rows["reviews"] = [{**review, "round": 1} for review in ROWS_AT_FIRST_REVISION["reviews"]]
    rows["stock_changes"] = [
        {**ROWS_AT_FIRST_REVISION["stock_changes"][0]},
        {**ROWS_AT_FIRST_REVISION["stock_changes"][0], "id": 2, "delta": -2, "stock_after": 0},
    ]
    rows["holds"] = [
        hold_row(1, "new"),
        hold_row(2, "ready", ready_at=READY),
        hold_row(3, "collected", ready_at=READY, ended_at=ENDED),
        hold_row(4, "cancelled", ended_at=ENDED, cancel_reason="The customer called"),
        hold_row(5, "cancelled", ready_at=READY, ended_at=ENDED, cancel_reason="Book lost"),
        hold_row(6, "expired", ready_at=READY, ended_at=ENDED, erased_at=ENDED),
    ]
    rows["invitations"] = [
        {
            "id": 1,
            "email": "new@example.org",
            "role": "volunteer",
            "token_hash": "0" * 64,
            "invited_by_id": 2,
            "created_at": CREATED,
            "expires_at": PUBLISHED,
            "accepted_at": None,
            "cancelled_at": None,
        }
    ]
    return rows


def test_the_rules_go_on_over_the_rows_the_app_wrote(empty_database, other_app):
    shop = other_app(DATABASE_URL=empty_database)
    rows = rows_the_app_writes()
    with shop.app_context():
        flask_migrate.upgrade(revision=BEFORE_THE_RULES)
        insert(rows)

        flask_migrate.upgrade()
        upgraded = rows_now()
        rules = {check["name"] for check in inspect(db.engine).get_check_constraints("holds")}
        flask_migrate.downgrade(revision=BEFORE_THE_RULES)
        downgraded = rows_now()
        db.engine.dispose()

    assert "ck_holds_cancel_reason_matches_state" in rules
    for table in ("holds", "reviews", "stock_changes", "invitations"):
        for kept in (upgraded, downgraded):
            columns = rows[table][0].keys()
            assert [{c: row[c] for c in columns} for row in kept[table]] == rows[table], table


def test_rows_breaking_the_rules_stop_the_upgrade_and_are_named(
    empty_database, other_app, monkeypatch
):
    shop = other_app(DATABASE_URL=empty_database)
    rows = rows_the_app_writes()
    rows["holds"].append(hold_row(7, "cancelled", ended_at=ENDED))
    rows["invitations"][0]["expires_at"] = CREATED
    with shop.app_context():
        flask_migrate.upgrade(revision=BEFORE_THE_RULES)
        insert(rows)

        # `flask db upgrade` logs why (its own logger, which migrations/env.py's logging
        # set-up takes from pytest's capture), and exits with 1.
        logged = []
        monkeypatch.setattr(flask_migrate.log, "error", logged.append)
        with pytest.raises(SystemExit) as stopped:
            flask_migrate.upgrade()
        version = rows_now()["alembic_version"]
        rules = {check["name"] for check in inspect(db.engine).get_check_constraints("holds")}
        db.engine.dispose()

    assert stopped.value.code == 1
    said = "\n".join(logged)
    assert "holds ck_holds_cancel_reason_matches_state" in said and "id 7" in said
    assert "invitations ck_invitations_expires_after_made" in said and "id 1" in said
    assert "Correct them, then upgrade again" in said
    assert version == [{"version_num": BEFORE_THE_RULES}]
    assert "ck_holds_cancel_reason_matches_state" not in rules


# --- Special orders (4038f8d2d0c2): a hold's book became optional --------------------------------

BEFORE_SPECIAL_ORDERS = "1e7e41325a5b"


def test_going_down_past_special_orders_stops_while_one_has_no_book(
    empty_database, other_app, monkeypatch
):
    shop = other_app(DATABASE_URL=empty_database)
    with shop.app_context():
        flask_migrate.upgrade()
        customer = HoldRequest("order", "Robin Customer", "", "828-555-0143", 1, "")
        asked = special_orders.SpecialOrderRequest("The Dispossessed", "", "", "", customer)
        order = special_orders.place_special_order(
            asked, "a-key-for-the-order", CREATED.replace(tzinfo=UTC), "s"
        )
        order_id = order.hold.id
        # Nothing read after the commit: an open transaction reading holds would keep the
        # downgrade's DROP INDEX waiting on PostgreSQL.
        db.session.commit()

        logged = []
        monkeypatch.setattr(flask_migrate.log, "error", logged.append)
        with pytest.raises(SystemExit) as stopped:
            flask_migrate.downgrade(revision=BEFORE_SPECIAL_ORDERS)
        holds = rows_now()["holds"]
        db.engine.dispose()

    assert stopped.value.code == 1
    said = "\n".join(logged)
    assert "These special orders have no book yet" in said and f"{order_id}" in said
    assert [(hold["id"], hold["book_id"], hold["asked_title"]) for hold in holds] == [
        (order_id, None, "The Dispossessed")
    ]


# --- The holds desk's search (a3d5e7f9b1c2): each hold's keys filled in -------------------------

BEFORE_HOLD_SEARCH = "f9eed305d333"


def test_upgrading_fills_in_the_search_keys_of_the_holds_there_are(empty_database, other_app):
    shop = other_app(DATABASE_URL=empty_database)
    rows = rows_the_app_writes()
    rows["holds"] = [
        {
            **hold_row(1, "new"),
            "customer_name": "José Ñúñez",
            "customer_email": "Jose.N@Example.org",
            "customer_phone": "(828) 555 0143",
        },
        {
            **hold_row(2, "expired", ready_at=READY, ended_at=ENDED, erased_at=ENDED),
            "customer_name": "",
            "customer_email": "",
        },
    ]
    del rows["invitations"]
    with shop.app_context():
        flask_migrate.upgrade(revision=BEFORE_HOLD_SEARCH)
        insert(rows)
        flask_migrate.upgrade()
        holds = rows_now()["holds"]
        db.engine.dispose()

    keys = [
        (hold["customer_name_key"], hold["customer_email_key"], hold["customer_phone_digits"])
        for hold in holds
    ]
    assert keys == [("jose nunez", "jose.n@example.org", "8285550143"), ("", "", "")]


# --- Search words joined or apart (e1f3a5c7b9d2): every book indexed again -------------------


def test_upgrading_indexes_the_books_again_as_the_app_would(empty_database, other_app):
    shop = other_app(DATABASE_URL=empty_database)
    rows = {
        table: [dict(row) for row in table_rows]
        for table, table_rows in ROWS_AT_FIRST_REVISION.items()
    }
    rows["books"][0]["title"] = "Black & White"
    rows["books"][0]["description"] = "On anarcho-syndicalism, and the neighbours' councils."
    rows["authors"][1]["name"] = "Ursula K. Le Guin"
    with shop.app_context():
        flask_migrate.upgrade(revision=FIRST_REVISION)
        insert(rows)
        flask_migrate.upgrade()
        migrated = rows_now()
        with db.engine.begin() as connection:
            index.rebuild(connection)
        rebuilt = rows_now()
        client = shop.test_client()
        found = {
            typed: client.get("/books", query_string={"q": typed}).get_data(as_text=True)
            for typed in ("black and white", "anarchosyndicalism", "leguin", "neighbours councils")
        }
        db.engine.dispose()

    assert migrated["indexed_books"] == rebuilt["indexed_books"]
    assert {row["word"] for row in rebuilt["indexed_words"]} <= {
        row["word"] for row in migrated["indexed_words"]
    }
    assert "Black &amp; White" in found["black and white"]
    assert "Black &amp; White" in found["anarchosyndicalism"]
    assert "Emergent Strategy" in found["leguin"]
    assert "Black &amp; White" in found["neighbours councils"]
