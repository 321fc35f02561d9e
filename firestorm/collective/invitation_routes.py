"""Inviting volunteers and members, /collective/invitations, and withdrawing a waiting link."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from firestorm.collective import bp
from firestorm.collective.people_forms import InvitationForm
from firestorm.outbox import queue
from firestorm.outbox.models import LINK_PLACEHOLDER, OutgoingMessage
from firestorm.people import invitations
from firestorm.people.accounts import AccountError
from firestorm.people.models import Invitation
from firestorm.web import clock
from firestorm.web.site_address import absolute_url, safe_next_path
from firestorm.web.templating import long_date

# Only the token's hash is stored, so the new link rides in the session to the one page
# view after the redirect, and is gone after that.
NEW_LINK = "new_invitation_link"


@bp.route("/invitations", methods=["GET", "POST"], endpoint="invitations")
def invitations_page() -> ResponseReturnValue:
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            invitation, token = invitations.create_invitation(
                current_user,
                form.email.data or "",  # required: never None once the form validates
                form.role.data,
                clock.current_time(),
                days=current_app.config["INVITATION_DAYS"],
            )
        except AccountError as error:
            form.show_refusal(error)
        else:
            hand_over_link(invitation, token)
            return redirect(url_for(".invitations"))
    page = render_template(
        "collective/invitations.html",
        form=form,
        new_link=new_link_shown_once() if request.method == "GET" else None,
        rows=invitations.recent_invitations(clock.current_time()),
    )
    return page, 422 if form.is_submitted() else 200


@bp.post("/invitations/<id:invitation_id>/withdraw", endpoint="withdraw_invitation")
def withdraw_invitation(invitation_id: int) -> ResponseReturnValue:
    """A plain post from the people page or the invitations page, which it goes back to."""
    back = safe_next_path(request.form.get("next")) or url_for(".invitations")
    try:
        invitation = invitations.withdraw_invitation(
            invitation_id, current_user, clock.current_time()
        )
    except invitations.UnknownInvitation:
        abort(404)
    except AccountError as refused:
        flash(str(refused), "error")
    else:
        flash(
            f"The invitation for {invitation.email} is withdrawn: its link no longer works.",
            "success",
        )
    return redirect(back)


def hand_over_link(invitation: Invitation, token: str) -> None:
    link = absolute_url("auth.accept_invitation", token=token)
    message = send_by_mail(invitation, link)
    session[NEW_LINK] = {
        "email": invitation.email,
        "link": link,
        "expires": long_date(invitation.expires_at),
        "message_id": message.id if message else None,
    }
    flash(f"Invitation ready for {invitation.email}.", "success")


def new_link_shown_once() -> dict | None:
    """The link just made, once, with how far its email has gone (it is sent after the
    response that made it, so by the time this page is drawn it has usually gone)."""
    new_link = session.pop(NEW_LINK, None)
    if new_link and new_link["message_id"]:
        progress, reason = queue.progress_of(new_link["message_id"])
        new_link.update(mailing=progress, reason=reason)
    return new_link


def send_by_mail(invitation: Invitation, link: str) -> OutgoingMessage | None:
    """The invitation in the outbox, committed with it and sent after the response; None when
    the site sends no mail. The link is a secret: kept apart from the body, and only until the
    email has gone."""
    config = current_app.config
    expires = long_date(invitation.expires_at)
    return queue.enqueue(
        config,
        invitation.email,
        f"Your invitation to {config['STORE_NAME']}",
        invitation_text(config["STORE_NAME"], current_user.display_name, expires),
        f"the invitation {invitation.id} ({invitation.role})",
        clock.current_time(),
        link=link,
    )


def invitation_text(store: str, inviter: str, expires: str) -> str:
    return (
        f"Hello,\n\n{inviter} has invited you to help with {store}'s catalog.\n\n"
        f"Open this link to choose your display name and password:\n\n{LINK_PLACEHOLDER}\n\n"
        f"The link works once, until {expires}. If you weren't expecting this, "
        f"you can ignore this message.\n"
    )
