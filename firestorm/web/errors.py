"""Error pages in the site's own layout: plain words, never a traceback, path or SQL."""

from flask import Flask, g, render_template
from flask.globals import request_ctx
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from firestorm.extensions import login_manager
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
    415: (
        "That wasn't sent from one of our forms",
        "Go back to the page and send the form from there.",
    ),
    429: ("Too many tries", "Please wait a minute and try again."),
    500: (
        "Something went wrong on our side",
        "We've noted it. Please try again in a little while.",
    ),
}


# For htmx requests that get no answer to swap in: the page's message box shows it.
OFFLINE_MESSAGE = "We couldn't reach the catalog. Check your connection and try again."


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_http_error)
    title, explanation = PLAIN_WORDS[500]
    app.jinja_env.globals.update(
        server_error_message=f"{title}. {explanation}", offline_message=OFFLINE_MESSAGE
    )


def render_http_error(error: HTTPException) -> ResponseReturnValue:
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
