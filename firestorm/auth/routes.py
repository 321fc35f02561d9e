"""Signing in and out, accepting an invitation, and the account page."""

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user
from limits.strategies import MovingWindowRateLimiter

from firestorm.auth import bp, device_cookies
from firestorm.auth.forms import (
    NEW_PASSWORD_HINT,
    AcceptInvitationForm,
    DisplayNameForm,
    LoginForm,
    PasswordChangeForm,
)
from firestorm.database import db
from firestorm.extensions import limiter
from firestorm.people import accounts, invitations
from firestorm.people.invitations import LinkProblem, UnusableInvitation
from firestorm.people.models import Invitation, User
from firestorm.people.sign_in_guard import Browser, SignedInBrowser, SignInGuard, TooManyTries
from firestorm.web import clock, transaction
from firestorm.web.access import has_remember_me_cookie
from firestorm.web.site_address import safe_next_path

# Per address, on top of each account's own lockout: stops one machine trying many accounts,
# while a cafe full of volunteers behind one address can still all sign in.
SIGN_IN_LIMIT = "10 per minute"
PASSWORD_CHANGE_LIMIT = "10 per minute"


def landing_page() -> str:
    """Where people go after signing in when no page asked for it."""
    return url_for("volunteer.dashboard")


def signed_in_user() -> User:
    return db.session.get_one(User, current_user.id)


def start_session(user: User, remember: bool) -> None:
    # Nothing from before signing in carries over into the new session.
    session.clear()
    # Also forgets the remember-me cookie of whoever used this browser before, unless
    # login_user sets a new one.
    logout_user()
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def login() -> ResponseReturnValue:
    next_path = safe_next_path(request.values.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(next_path or landing_page())
    form = LoginForm(next=next_path)
    if not form.validate_on_submit():
        return render_login(form, next_path), 422 if form.is_submitted() else 200
    # Both fields are required, so after validate_on_submit neither is None.
    email, password = form.email.data or "", form.password.data or ""
    guard = guard_for(email, device_cookies.this_browser())
    try:
        user = accounts.authenticate(email, password, guard, clock.current_time())
    except accounts.AccountError as refused:
        form.show_refusal(refused)
        return render_login(form, next_path), *refusal_status(refused)
    start_session(user, remember=form.remember.data)
    flash(f"Welcome, {user.display_name}. You are signed in.", "success")
    response = redirect(next_path or landing_page())
    device_cookies.remember_this_browser(response, user)
    return response


def guard_for(email: str, browser: Browser) -> SignInGuard:
    """The failed-password counts for this email from this visitor's address and browser,
    kept in the rate limits' storage (shared by every worker when it is Redis)."""
    counter = MovingWindowRateLimiter(current_app.extensions["wrong_passwords"])
    return SignInGuard(counter, email, request.remote_addr, browser)


def refusal_status(refused: accounts.AccountError) -> tuple[int, dict]:
    if isinstance(refused, TooManyTries):
        return 429, {"Retry-After": str(refused.seconds_left)}
    return 422, {}


def render_login(form: LoginForm, next_path: str | None) -> str:
    form.next.data = next_path or ""
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        accounts.sign_out(signed_in_user())
    session.clear()
    logout_user()
    flash("You are signed out, here and on every other device.", "success")
    return redirect(url_for("public.home"))


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    name_form = DisplayNameForm(formdata=None, display_name=current_user.display_name)
    return render_account(name_form, PasswordChangeForm(formdata=None))


@bp.post("/account/name")
@login_required
def change_display_name() -> ResponseReturnValue:
    form = DisplayNameForm()
    if form.validate_on_submit():
        user = signed_in_user()
        try:
            accounts.change_display_name(user, form.display_name.data or "")
        except accounts.AccountError as error:
            form.show_refusal(error)
        else:
            flash(f"Your display name is now {user.display_name}.", "success")
            return redirect(url_for(".account"))
    return render_account(form, PasswordChangeForm(formdata=None)), 422


@bp.post("/account/password")
@limiter.limit(PASSWORD_CHANGE_LIMIT)
@login_required
def change_password() -> ResponseReturnValue:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = signed_in_user()
        try:
            guard = guard_for(user.email, SignedInBrowser())
            accounts.change_password(
                user, form.current_password.data or "", form.new_password.data or "", guard
            )
        except accounts.AccountError as error:
            form.show_refusal(error)
            name_form = DisplayNameForm(formdata=None, display_name=current_user.display_name)
            return render_account(name_form, form), *refusal_status(error)
        else:
            # The new session version ends every other session; this browser moves onto it.
            login_user(user, remember=has_remember_me_cookie())
            flash("Your password is changed. You are signed out on every other device.", "success")
            response = redirect(url_for(".account"))
            # The new password makes every device cookie earned with the old one worthless;
            # this browser has just proved the new one.
            device_cookies.remember_this_browser(response, user)
            return response
    name_form = DisplayNameForm(formdata=None, display_name=current_user.display_name)
    return render_account(name_form, form), 422


def render_account(name_form: DisplayNameForm, password_form: PasswordChangeForm) -> str:
    return render_template(
        "auth/account.html",
        name_form=name_form,
        password_form=password_form,
        new_password_hint=NEW_PASSWORD_HINT,
    )


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    now = clock.current_time()
    try:
        invitation = invitations.find_invitation(token, now)
    except UnusableInvitation as unusable:
        return unusable_link(unusable.problem)
    form = AcceptInvitationForm()
    if not form.validate_on_submit():
        return render_invitation(form, invitation, token)
    try:
        user = invitations.accept_invitation(
            token, form.display_name.data or "", form.password.data or "", now
        )
    except UnusableInvitation as unusable:
        transaction.discard_changes()
        return unusable_link(unusable.problem)
    except accounts.AccountError as error:
        transaction.discard_changes()
        form.show_refusal(error)
        return render_invitation(form, invitation, token)
    start_session(user, remember=False)
    flash(f"Welcome, {user.display_name}! Your account is ready and you are signed in.", "success")
    response = redirect(landing_page())
    # The browser the account was made in is the first one it knows.
    device_cookies.remember_this_browser(response, user)
    return response


def render_invitation(
    form: AcceptInvitationForm, invitation: Invitation, token: str
) -> ResponseReturnValue:
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "auth/invitation.html",
        form=form,
        invitation=invitation,
        token=token,
        new_password_hint=NEW_PASSWORD_HINT,
    )
    return page, status


def unusable_link(problem: LinkProblem) -> ResponseReturnValue:
    status = 404 if problem is LinkProblem.FORGED else 410
    return render_template("auth/invitation_unusable.html", problem=problem), status
