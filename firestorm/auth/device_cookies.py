"""Device cookies as browsers send and keep them: read from the sign-in post, given after a
sign-in, an accepted invitation or a password change (what they hold and prove:
people/trusted_devices.py)."""

from datetime import timedelta

from flask import current_app, request, url_for
from werkzeug.wrappers import Response

from firestorm.people.models import User
from firestorm.people.trusted_devices import KnownBrowser
from firestorm.web import clock


def this_browser() -> KnownBrowser:
    config = current_app.config
    return KnownBrowser(
        config["SECRET_KEY"],
        config["DEVICE_COOKIE_NAME"],
        timedelta(days=config["DEVICE_COOKIE_DAYS"]),
        request.cookies,
        clock.current_time(),
    )


def remember_this_browser(response: Response, account: User) -> None:
    """Give this browser a new device cookie for the account, which has just proved its
    password here, and drop its stale ones."""
    browser = this_browser()
    cookie = browser.cookie_for(account)
    # Sent only with the sign-in page's requests (its form posts there, with or without
    # ?next=…): no other page reads it. Strict: only a post from the site's own page carries it.
    attributes = {
        "path": url_for("auth.login"),
        "secure": current_app.config["SESSION_COOKIE_SECURE"],
        "httponly": True,
        "samesite": "Strict",
    }
    for stale in browser.cookies_to_forget(cookie):
        response.delete_cookie(stale, **attributes)
    days = current_app.config["DEVICE_COOKIE_DAYS"]
    response.set_cookie(cookie.name, cookie.value, max_age=days * 24 * 3600, **attributes)
