"""A forgotten password: /password/forgot asks for the address and mails a one-hour link (the
same answer whether or not the address has an account); /password/reset/<reset_token> is that
link, where a new password is chosen. The link is a password until it is used, so its pages are kept
out of caches, search engines, Referers and logs (web/logs.py redacts it)."""

from datetime import datetime
from functools import partial

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from limits.strategies import MovingWindowRateLimiter
from werkzeug.wrappers import Response

from firestorm import mail
from firestorm.auth import bp
from firestorm.auth.forms import NEW_PASSWORD_HINT, ForgotPasswordForm, ResetPasswordForm
from firestorm.outbox import queue
from firestorm.outbox.models import LINK_PLACEHOLDER
from firestorm.people import accounts, password_resets
from firestorm.people.models import User
from firestorm.people.password_resets import LinkProblem, TooManyRequests, UnusableReset
from firestorm.web import clock, transaction
from firestorm.web.headers import kept_private
from firestorm.web.site_address import absolute_url

# The link's page and its errors (a 400 without CSRF token, a 404, a 429) alike.
PRIVATE_ENDPOINTS = frozenset({"auth.reset_password"})


@bp.after_request
def keep_reset_pages_private(response: Response) -> Response:
    if request.endpoint in PRIVATE_ENDPOINTS:
        kept_private(response)
    return response


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    if not mail.mail_configured(current_app.config):
        # Nothing to send the link with: the page says whom to ask instead.
        return render_template("auth/forgot_password.html", form=None, sends_mail=False)
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_forgot(form), 422 if form.is_submitted() else 200
    try:
        email = password_resets.check_typed_email(form.email.data or "")
        counter = MovingWindowRateLimiter(current_app.extensions["password_resets"])
        password_resets.count_request(counter, email, request.remote_addr)
    except accounts.AccountError as refused:
        form.show_refusal(refused)
        status = 429 if isinstance(refused, TooManyRequests) else 422
        return render_forgot(form), status
    # The same page whether or not the address has an account, and in the same time: the
    # account is looked for, and its link made and sent, once this answer has gone.
    answer = make_response(render_template("auth/forgot_password_sent.html"))
    transaction.after_response(
        answer, partial(send_reset_link_for, email), "A password reset link asked for"
    )
    return answer


def render_forgot(form: ForgotPasswordForm) -> str:
    return render_template("auth/forgot_password.html", form=form, sends_mail=True)


def send_reset_link_for(email: str) -> None:
    """A link for the account with this address, if there is one (run after the answer)."""
    user = password_resets.account_for_reset(email)
    if user is not None:
        send_reset_link(user)


def send_reset_link(user: User) -> None:
    """The link in the outbox, kept apart from the body and only until the email has gone."""
    now = clock.current_time()
    token = password_resets.create_reset(user, now)
    config = current_app.config
    queue.enqueue(
        config,
        user.email,
        f"Choose a new password for {config['STORE_NAME']}",
        reset_text(config["STORE_NAME"], user.display_name),
        f"a password reset link for {accounts.who(user)}",
        now,
        link=absolute_url("auth.reset_password", reset_token=token),
    )


def reset_text(store: str, name: str) -> str:
    return (
        f"Hello {name},\n\nSomeone, probably you, asked for a link to choose a new password "
        f"for your account at {store}.\n\nOpen this link within an hour to choose one:\n\n"
        f"{LINK_PLACEHOLDER}\n\nThe link works once. If you didn't ask for it, you can ignore "
        f"this message: your password stays as it is.\n"
    )


@bp.route("/password/reset/<reset_token>", methods=["GET", "POST"])
def reset_password(reset_token: str) -> ResponseReturnValue:
    now = clock.current_time()
    try:
        reset = password_resets.find_reset(reset_token, now)
    except UnusableReset as unusable:
        return unusable_reset(unusable.problem)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_reset(
            form, reset_token, reset.expires_at
        ), 422 if form.is_submitted() else 200
    try:
        password_resets.use_reset(reset_token, form.new_password.data or "", now)
    except UnusableReset as unusable:
        transaction.discard_changes()
        return unusable_reset(unusable.problem)
    except accounts.AccountError as error:
        transaction.discard_changes()
        form.show_refusal(error, "new_password")
        return render_reset(form, reset_token, reset.expires_at), 422
    # To the sign-in page rather than signed in here: the person proves the new password once,
    # and signing in is the one way a browser gets a session, its remember-me choice and the
    # device cookie that spares it other people's guessing.
    flash(
        "Your password is changed, and every device that was signed in is signed out. "
        "Sign in with your new password.",
        "success",
    )
    return redirect(url_for("auth.login"))


def render_reset(form: ResetPasswordForm, token: str, expires_at: datetime) -> str:
    return render_template(
        "auth/reset_password.html",
        form=form,
        token=token,
        expires_at=expires_at,
        new_password_hint=NEW_PASSWORD_HINT,
    )


def unusable_reset(problem: LinkProblem) -> ResponseReturnValue:
    status = 404 if problem is LinkProblem.UNKNOWN else 410
    return render_template("auth/reset_unusable.html", problem=problem), status
