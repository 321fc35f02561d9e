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

from firestorm import mail
from firestorm.collective import bp
from firestorm.collective.people_forms import InvitationForm
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
        new_link=session.pop(NEW_LINK, None) if request.method == "GET" else None,
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
    session[NEW_LINK] = {
        "email": invitation.email,
        "link": link,
        "expires": long_date(invitation.expires_at),
        "mailed": send_by_mail(invitation, link),
    }
    flash(f"Invitation ready for {invitation.email}.", "success")


def send_by_mail(invitation: Invitation, link: str) -> bool | None:
    """True when mailed, False when mailing failed, None when the site sends no mail."""
    config = current_app.config
    if not mail.mail_configured(config):
        return None
    try:
        mail.send_invitation(
            config,
            invitation.email,
            link,
            current_user.display_name,
            long_date(invitation.expires_at),
        )
    except mail.MailError as error:
        current_app.logger.warning("Invitation mail to %s failed: %s", invitation.email, error)
        return False
    return True
