"""The Firestorm catalog: create_app() assembles config, extensions, blueprints, CLI, errors."""

import os
import secrets
from pathlib import Path

from flask import Config, Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from firestorm import auth, cli, collective, production, public, volunteer

# Every feature's tables are known to Flask-Migrate, and its signal receivers connected (its
# package's __init__ loads them), before a request or a command needs them.
from firestorm.book_lookup import models as _book_lookup_models  # noqa: F401
from firestorm.csv import models as _csv_models  # noqa: F401
from firestorm.database import LARGEST_ID, database_url_for, db
from firestorm.events import models as _event_models  # noqa: F401
from firestorm.events import sign_up_models as _sign_up_models  # noqa: F401
from firestorm.extensions import csrf, limiter, login_manager, migrate
from firestorm.holds import models as _hold_models  # noqa: F401
from firestorm.notices import models as _notice_models  # noqa: F401
from firestorm.outbox import models as _outbox_models  # noqa: F401
from firestorm.receiving import models as _receiving_models  # noqa: F401
from firestorm.reviews import models as _review_models  # noqa: F401
from firestorm.search import models as _search_models  # noqa: F401
from firestorm.search import terms
from firestorm.settings import PROJECT_ROOT, instance_path, read_settings
from firestorm.web import (
    clock,
    cover_files,
    errors,
    headers,
    htmx,
    last_change,
    logs,
    navigation,
    request_limits,
    site_address,
    templating,
    transaction,
)
from firestorm.web.access import ask_to_sign_in, load_user, visitors_are_anonymous
from firestorm.web.rate_limit_storage import counts_storage
from firestorm.web.sqlite import configure_sqlite


def create_app(config_overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(instance_path()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.url_map.converters["id"] = RowIdConverter
    load_config(app, config_overrides)
    logs.configure_logging(app)
    if app.config["PROXY_COUNT"]:
        proxies = app.config["PROXY_COUNT"]
        # Flask's documented way to put middleware around the app; mypy sees a method replaced.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    init_extensions(app)
    for audience in (public, auth, volunteer, collective):
        app.register_blueprint(audience.bp)
    cli.register(app)
    errors.register(app)
    cover_files.register(app)
    headers.register(app)
    templating.register(app)
    clock.register(app)
    last_change.register(app)
    transaction.register(app)
    request_limits.register(app)
    htmx.register(app)
    navigation.register(app)
    return app


class RowIdConverter(IntegerConverter):
    """`<id:book_id>`: a database id in a URL. Anything else, 0 or past the largest id the
    database holds, is a 404 before the view runs, never a query the driver refuses."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=LARGEST_ID)


def load_config(app: Flask, overrides: dict | None) -> None:
    read_settings(app.config)
    app.config.update(overrides or {})
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app)
    if isinstance(app.config["TRUSTED_HOSTS"], str):
        # FIRESTORM_TRUSTED_HOSTS=books.example.org,www.example.org, as well as a JSON list.
        app.config["TRUSTED_HOSTS"] = [h.strip() for h in app.config["TRUSTED_HOSTS"].split(",")]
    production.refuse_unsafe_settings(app.config, key_was_configured=bool(app.config["SECRET_KEY"]))
    use_site_url(app.config)
    app.config["CATALOG_LANGUAGE"] = terms.checked_language(app.config["CATALOG_LANGUAGE"])
    if app.config["REMEMBER_COOKIE_SECURE"] is None:
        app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    # Uploaded covers: an absolute path, or one inside the instance folder.
    app.config["COVERS_DIR"] = str(Path(app.instance_path, app.config["COVERS_DIR"] or "covers"))
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def use_site_url(config: Config) -> None:
    """SITE_URL as links are built from it (development's address when unset), and in
    production the host names the site answers to, when not named, its host alone."""
    config["SITE_URL"] = site_address.checked_site_url(
        config["SITE_URL"] or site_address.DEVELOPMENT_SITE_URL
    )
    if config["PRODUCTION"] and not config["TRUSTED_HOSTS"]:
        config["TRUSTED_HOSTS"] = [site_address.site_host(config["SITE_URL"])]


def database_uri(app: Flask) -> str:
    return database_url_for(app.config["DATABASE_URL"], app.instance_path)


def instance_secret_key(folder: Path) -> str:
    """A random key kept in instance/secret_key, so a one-server install needs no setup."""
    key_file = folder / "secret_key"
    folder.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        # Written aside and linked into place, so workers starting together never read a
        # half-written file and only the first key wins.
        draft = folder / f"secret_key.{secrets.token_hex(4)}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(ask_to_sign_in)
    app.before_request(visitors_are_anonymous)
    limiter.init_app(app)
    # Wrong passwords, hold emails per recipient and password reset links asked for are counted
    # even where request limits are turned off (RATELIMIT_ENABLED), in the same storage: Redis
    # in production, shared by every worker, and each worker's memory while Redis is down
    # (web/rate_limit_storage.py).
    counts = counts_storage(
        app.config["RATELIMIT_STORAGE_URI"], app.config["RATELIMIT_STORAGE_OPTIONS"]
    )
    app.extensions["wrong_passwords"] = counts
    app.extensions["hold_emails"] = counts
    app.extensions["password_resets"] = counts
    with app.app_context():
        configure_sqlite(db.engine)
