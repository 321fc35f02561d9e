"""The database set-up: SQLite tuned for several workers, URLs from config, migrations."""

import pytest
from sqlalchemy import text

from firestorm import database_uri
from firestorm.database import db
from firestorm.search import index


@pytest.fixture
def on_sqlite(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings apply to SQLite only (this run uses PostgreSQL)")


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(app, on_sqlite):
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_write_requests_take_the_write_lock_when_they_begin(app, on_sqlite, count_queries):
    for method, begin in [("POST", "BEGIN IMMEDIATE"), ("GET", "BEGIN")]:
        with count_queries() as statements, app.test_request_context("/", method=method):
            db.session.execute(text("SELECT 1"))
            db.session.rollback()
        assert statements[0] == begin


@pytest.mark.parametrize(
    ("configured", "used"),
    [
        ("postgres://u:p@db/firestorm", "postgresql+psycopg://u:p@db/firestorm"),
        ("postgresql://u@db/firestorm", "postgresql+psycopg://u@db/firestorm"),
        ("postgresql+psycopg://u@db/x", "postgresql+psycopg://u@db/x"),
        ("sqlite:////srv/firestorm.db", "sqlite:////srv/firestorm.db"),
    ],
)
def test_database_urls_from_config_get_a_driver(app, configured, used):
    class FakeApp:
        config = {"DATABASE_URL": configured}
        instance_path = app.instance_path

    assert database_uri(FakeApp) == used


def test_the_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        # As env.py compares them: the search index's own objects are the migration's alone.
        context = MigrationContext.configure(connection, opts={"include_name": index.in_the_models})
        differences = compare_metadata(context, db.metadata)

    assert differences == []


def test_the_migrations_go_down_and_up_again(app):
    import flask_migrate

    with app.app_context():
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade()
        assert db.session.execute(text("SELECT count(*) FROM reviews")).scalar() == 0


def test_the_live_preview_reads_without_taking_the_write_lock(
    client, app, on_sqlite, login_as, csrf_token, count_queries
):
    login_as("volunteer")
    token = csrf_token()

    with count_queries() as statements:
        response = client.post(
            "/my/reviews/preview",
            data={"body": "*hi*"},
            headers={"HX-Request": "true", "HX-Request-Type": "partial", "X-CSRFToken": token},
        )

    assert response.status_code == 200
    assert "BEGIN" in statements and "BEGIN IMMEDIATE" not in statements
