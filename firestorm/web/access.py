"""Who is signed in and what they may open: loading the user for each request, and the guards
the blueprints check before every request to them (a route cannot forget)."""

from flask import abort, current_app, flash, g, redirect, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_url
from sqlalchemy import select

from firestorm.database import db
from firestorm.extensions import SIGN_IN_VIEW, login_manager
from firestorm.people.models import Role, User
from firestorm.web.headers import signed_in_session
from firestorm.web.htmx import is_htmx_request, render_error_box


def load_user(session_id: str) -> User | None:
    """The user for a session or remember-me cookie, if it is still valid.

    The id carries the user's session version ("12:3"); signing out everywhere, a password
    change or deactivation bumps the version, and every older session stops working.
    """
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.scalar(select(User).where(User.id == int(user_id)))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def has_remember_me_cookie() -> bool:
    return current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies


def is_signed_out() -> bool:
    """No signed-in session and no remember-me cookie: nobody to load (no query)."""
    return not signed_in_session() and not has_remember_me_cookie()


def visitors_are_anonymous() -> None:
    """Before each request: a signed-out visitor is anonymous without asking Flask-Login to
    load anyone. Its check of where a session comes from would otherwise write to the session
    of a visitor who merely opened the sign-in page, and send a new cookie with every page."""
    if is_signed_out():
        # Where Flask-Login 0.6 keeps the request's user (flask_login.utils._get_user).
        g._login_user = login_manager.anonymous_user()


def signed_in_first() -> ResponseReturnValue | None:
    """The volunteer blueprint's guard: every page there is someone's own, so strangers are
    asked to sign in first (ask_to_sign_in)."""
    if current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def collective_members_only() -> ResponseReturnValue | None:
    """The collective blueprint's guard: strangers are asked to sign in first, volunteers are
    refused (403)."""
    stranger = signed_in_first()
    if stranger is not None:
        return stranger
    if current_user.role != Role.COLLECTIVE:
        abort(403)
    return None


def ask_to_sign_in() -> ResponseReturnValue:
    """A signed-out visitor on a page that needs an account.

    A plain request goes to the sign-in page and comes back afterwards. An htmx request is
    answered in place: redirected, htmx would draw the whole sign-in page inside a small part
    of this one, and a reload would lose what was typed.
    """
    if is_htmx_request():
        return render_error_box("_partials/signed_out.html", 401)
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(SIGN_IN_VIEW, next_url=request.full_path))
