"""The collective's people, /collective/people: every account and the waiting invitations; and
each person's page, /collective/people/<id>, to change their role, deactivate or reactivate
them (in place with htmx, or as plain forms), or make them a link to choose a new password,
with the account's recent changes."""

from collections.abc import Callable
from datetime import datetime

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user

from firestorm.collective import bp
from firestorm.collective.people_forms import AccessForm, PersonForm, RoleForm
from firestorm.outbox import failures, queue
from firestorm.pagination import page_number
from firestorm.people import invitations, management, password_resets
from firestorm.people.accounts import AccountError, who
from firestorm.people.models import AccountChange, User
from firestorm.web import clock, transaction
from firestorm.web.headers import kept_private
from firestorm.web.htmx import redirect_or_partial, render_page_or_partial
from firestorm.web.site_address import absolute_url

PERSON_PAGE = "collective/person.html"
# Only the reset link's hash is stored, so the new link rides in the session to the one page
# view after the redirect, and is gone after that.
NEW_RESET_LINK = "new_reset_link"
# What htmx gets after a change or a refusal: the account box and the flash area.
PERSON_UPDATE = "collective/_person_account_update.html"


@bp.get("/people", endpoint="people")
def people_page() -> ResponseReturnValue:
    return render_template(
        "collective/people.html",
        people=management.people_page(
            page_number(request.args.get("page")), current_app.config["PEOPLE_PER_PAGE"]
        ),
        waiting=invitations.waiting_invitations(clock.current_time()),
        failed_mail=failures.failed_mail(),
        back=request.full_path.rstrip("?"),
    )


@bp.get("/people/<id:person_id>", endpoint="person")
def person_page(person_id: int) -> ResponseReturnValue:
    response = person_response(
        person_id,
        RoleForm(formdata=None),
        AccessForm(formdata=None),
        reset_link=reset_link_shown_once(person_id),
    )
    # The page may carry a reset link, a password until it is used.
    return kept_private(make_response(response))


@bp.post("/people/<id:person_id>/reset-link", endpoint="make_reset_link")
def make_reset_link(person_id: int) -> ResponseReturnValue:
    """A link for someone else to choose a new password, shown once on their page: for a site
    without mail, or a person whose mail does not arrive. The owner is told by email."""
    now = clock.current_time()
    try:
        person = management.get_person(person_id)
        token = password_resets.create_reset_for(person, current_user, now)
    except management.UnknownPerson:
        abort(404)
    except AccountError as refusal:
        transaction.discard_changes()
        flash(str(refusal), "error")
        return redirect(url_for(".person", person_id=person_id))
    tell_the_owner(person, now)
    session[NEW_RESET_LINK] = {
        "person_id": person.id,
        "link": absolute_url("auth.reset_password", reset_token=token),
    }
    flash(f"A link for {person.display_name} to choose a new password is ready.", "success")
    return redirect(url_for(".person", person_id=person_id))


def reset_link_shown_once(person_id: int) -> str | None:
    """The link just made for this person, once: only its hash is stored."""
    made = session.get(NEW_RESET_LINK)
    if not made or made["person_id"] != person_id:
        return None
    del session[NEW_RESET_LINK]
    return str(made["link"])


def tell_the_owner(person: User, now: datetime) -> None:
    """An email to the account's address, when the site sends mail: someone made a link to
    change its password (the link itself is not in it: the member hands it over)."""
    config = current_app.config
    queue.enqueue(
        config,
        person.email,
        f"A link to change your password at {config['STORE_NAME']}",
        (
            f"Hello {person.display_name},\n\n{current_user.display_name}, a collective member, "
            f"has made a link for you to choose a new password for {config['STORE_NAME']}. "
            "They will give it to you.\n\nIf you didn't ask for one, tell the collective: "
            "until the link is used or an hour has passed, whoever has it can choose your "
            "password.\n"
        ),
        f"the notice of a reset link made for {who(person)}",
        now,
    )


@bp.post("/people/<id:person_id>/role", endpoint="change_role")
def change_role(person_id: int) -> ResponseReturnValue:
    form = RoleForm()
    return changed(
        person_id,
        form,
        lambda now: management.change_role(
            person_id, form.role.data or "", current_user, now, form.confirm.data
        ),
    )


@bp.post("/people/<id:person_id>/deactivate", endpoint="deactivate")
def deactivate(person_id: int) -> ResponseReturnValue:
    form = AccessForm()
    return changed(
        person_id,
        form,
        lambda now: management.deactivate(person_id, current_user, now, form.confirm.data),
    )


@bp.post("/people/<id:person_id>/reactivate", endpoint="reactivate")
def reactivate(person_id: int) -> ResponseReturnValue:
    return changed(
        person_id, AccessForm(), lambda now: management.reactivate(person_id, current_user, now)
    )


# --- Shared by the routes above ---------------------------------------------------------------


def changed(
    person_id: int, form: PersonForm, change: Callable[..., AccountChange | None]
) -> ResponseReturnValue:
    """Make the change and answer: the account box again for htmx, else back to the page; a
    refusal is said next to what was sent, with the form as it was (422)."""
    try:
        made = change(clock.current_time())
    except management.UnknownPerson:
        abort(404)
    except AccountError as refusal:
        return refused(person_id, form, refusal)
    # Changed in this request: in the session already, no query.
    person = management.get_person(person_id)
    flash(*what_changed(person, made))
    if person.id == current_user.id:
        return after_own_change(person)
    return redirect_or_partial(
        url_for(".person", person_id=person_id),
        lambda: person_response(
            person_id, RoleForm(formdata=None), AccessForm(formdata=None), sent=form.name
        ),
    )


def refused(person_id: int, form: PersonForm, refusal: AccountError) -> ResponseReturnValue:
    transaction.discard_changes()
    form.show_refusal(refusal)
    forms = {"role": RoleForm(formdata=None), "access": AccessForm(formdata=None)}
    forms[form.name] = form
    return person_response(person_id, forms["role"], forms["access"], 422, sent=form.name)


def person_response(
    person_id: int,
    role_form: RoleForm,
    access_form: AccessForm,
    status: int = 200,
    sent: str = "",
    reset_link: str | None = None,
) -> ResponseReturnValue:
    """The person's page, or for htmx their account box; `sent` names the form just sent."""
    try:
        person, changes = management.person_with_changes(person_id)
    except management.UnknownPerson:
        abort(404)
    if role_form.role.data is None:
        role_form.role.data = person.role
    return render_page_or_partial(
        PERSON_PAGE,
        PERSON_UPDATE,
        status,
        person=person,
        changes=changes,
        role_form=role_form,
        access_form=access_form,
        is_self=person.id == current_user.id,
        sent=sent,
        reset_link=reset_link,
    )


def what_changed(person: User, change: AccountChange | None) -> tuple[str, str]:
    """The flash message after a change, and its category."""
    who_is = "You are" if person.id == current_user.id else f"{person.display_name} is"
    if change is None:
        return f"Nothing changed: {who_is} {standing(person)} already.", "info"
    message = f"{change.description}: {who_is} {standing(person)} now."
    if not person.is_active:
        message += " Signed out everywhere, and no sign-in will work until reactivated."
    return message, "success"


def standing(person: User) -> str:
    """ "an active volunteer", "a deactivated collective member"."""
    state = "an active" if person.is_active else "a deactivated"
    return f"{state} {management.ROLE_NAMES[person.role]}"


def after_own_change(person: User) -> ResponseReturnValue:
    """Your own account, deactivated or no longer collective: the pages you were on are closed
    to you now; the forms that do this are plain posts, never htmx."""
    if not person.is_active:
        session.clear()
        logout_user()
        flash("Your account is deactivated, and you are signed out everywhere.", "success")
        return redirect(url_for("public.home"))
    if not person.is_collective:
        return redirect(url_for("volunteer.dashboard"))
    return redirect(url_for(".person", person_id=person.id))
