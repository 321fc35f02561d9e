"""Error pages in the site's own layout: plain words, never a traceback, path or SQL."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from firestorm.database import db
from firestorm.web.htmx import is_htmx_request, render_error_box

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
    429: ("Too many tries", "Please wait a minute and try again."),
    500: (
        "Something went wrong on our side",
        "We've noted it. Please try again in a little while.",
    ),
}


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(InternalServerError, render_server_error)


def render_http_error(error: HTTPException):
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
    context = {"code": code, "title": title, "explanation": explanation}
    if is_htmx_request():
        return render_error_box("errors/_message.html", code, **context)
    return render_template("errors/error.html", **context), code


def render_server_error(error: InternalServerError):
    # The failed request may have left the session mid-transaction; the layout reads the
    # database for the store's status, so start clean.
    db.session.rollback()
    return render_http_error(error)
