"""The collective's people, /collective/people: every account and the waiting invitations; and
each person's page, /collective/people/<id>, to change their role, deactivate or reactivate
them (in place with htmx, or as plain forms), with the account's recent changes."""

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user

from firestorm.collective import bp
from firestorm.collective.people_forms import AccessForm, PersonForm, RoleForm
from firestorm.outbox import failures
from firestorm.pagination import page_number
from firestorm.people import invitations, management
from firestorm.people.accounts import AccountError
from firestorm.people.models import AccountChange, User
from firestorm.web import clock, transaction
from firestorm.web.htmx import redirect_or_partial, render_page_or_partial

PERSON_PAGE = "collective/person.html"
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
    return person_response(person_id, RoleForm(formdata=None), AccessForm(formdata=None))


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
