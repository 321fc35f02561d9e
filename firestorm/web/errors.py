"""Error pages in the site's own layout: plain words, never a traceback, path or SQL; and the
503 page while the database server is away (stopped, restarting), said once in the log."""

import logging

from flask import Flask, Response, g, make_response, render_template, request
from flask.globals import request_ctx
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from firestorm.database import database_unreachable
from firestorm.extensions import login_manager
from firestorm.web.htmx import is_htmx_request, render_error_box

log = logging.getLogger(__name__)

PLAIN_WORDS = {
    400: (
        "That request didn't make sense",
        "Something in the address or the form wasn't "
        "something we could read. Go back and try again.",
    ),
    403: ("That page isn't open to you", "You don't have permission to see this page."),
    404: ("We couldn't find that page", "It may have moved, or the address may have a typo."),
    405: ("That doesn't work here", "This page can't be used that way."),
    413: ("That file is too big", "Please send something smaller."),
    415: (
        "That wasn't sent from one of our forms",
        "Go back to the page and send the form from there.",
    ),
    429: ("Too many tries", "Please wait a minute and try again."),
    500: (
        "Something went wrong on our side",
        "We've noted it. Please try again in a little while.",
    ),
    503: (
        "The catalog is taking a short break",
        "We can't reach our records just now. Please try again in a minute.",
    ),
}

# While the database is away: when browsers and search engines are asked to come back. A
# restart of PostgreSQL takes seconds; pool_pre_ping (config.py) reconnects by itself.
RETRY_AFTER_SECONDS = 60


# For htmx requests that get no answer to swap in: the page's message box shows it.
OFFLINE_MESSAGE = "We couldn't reach the catalog. Check your connection and try again."


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_http_error)
    # Caught here, before Flask would log a crash with its traceback for each request.
    app.register_error_handler(DBAPIError, answer_database_error)
    app.jinja_env.globals.update(
        server_error_message=in_one_line(500),
        unavailable_message=in_one_line(503),
        offline_message=OFFLINE_MESSAGE,
    )


def in_one_line(code: int) -> str:
    title, explanation = PLAIN_WORDS[code]
    return f"{title}. {explanation}"


def answer_database_error(error: DBAPIError) -> ResponseReturnValue:
    if not database_unreachable(error):
        # Any other refusal is a bug: the 500 page, its traceback in the log.
        raise error
    return database_away(error)


def database_away(error: DBAPIError) -> Response:
    """The 503 page, drawn without the database, and one warning line naming the failure:
    the driver's first line names the server's host and port, never its password, and no SQL
    (whose parameters the engine hides anyway: SQLALCHEMY_ENGINE_OPTIONS)."""
    reason = str(error.orig).strip().splitlines() or [""]
    log.warning(
        "The database does not answer (%s: %s): %s answered with the 503 page",
        type(error.orig).__name__,
        reason[0],
        request.endpoint or "a request",
    )
    response = make_response(render_http_error(ServiceUnavailable()))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def render_http_error(error: HTTPException) -> ResponseReturnValue:
    # The commit at the end of a request (web/transaction.py) fails outside the handlers:
    # Flask hands it over as a 500 that carries it.
    if isinstance(error, InternalServerError) and database_unreachable(error.original_exception):
        return database_away(error.original_exception)
    code = error.code or 500
    title, explanation = PLAIN_WORDS.get(code, (error.name, ""))
    if isinstance(error, CSRFError):
        # Tokens last as long as the session, so this page predates a sign-out or sign-in:
        # its forms can't be sent any more, and a reload would lose what was typed.
        title, explanation = (
            "This form has expired",
            (
                "The page is older than your last sign-in or sign-out, so it wasn't sent. "
                "Copy anything you typed, reload the page, and paste it back."
            ),
        )
    if request_ctx.url_adapter is None:
        # The Host is not one of TRUSTED_HOSTS: no link in the layout can be built for it.
        return f"{title}.\n", code, {"Content-Type": "text/plain; charset=utf-8"}
    if code >= 500:
        draw_without_the_database()
    context = {"code": code, "title": title, "explanation": explanation}
    # htmx swaps no 5xx answer (see the htmx-config meta tag in base.html): the page's own
    # message box says it, from server_error_message, and the whole page is the answer.
    if is_htmx_request() and code < 500:
        return render_error_box("errors/_message.html", code, **context)
    return render_template("errors/error.html", **context), code


def draw_without_the_database() -> None:
    """The database may be what failed: the error page is drawn for a stranger (templates get
    current_user from Flask-Login, which would load the account) and without the banner."""
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()
