"""Invitations: one-time links that let a new volunteer or collective member make an account."""

import enum
import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from firestorm import config
from firestorm.database import db, rows_changed
from firestorm.people.accounts import AccountError, check_email, check_role, create_user, who
from firestorm.people.models import Invitation, User

# 32 random bytes: a link nobody can guess, however many they try.
TOKEN_BYTES = 32
# Longer than any token we hand out; anything longer is not worth hashing.
TOKEN_MAX_LENGTH = 100
LIST_LENGTH = 100

log = logging.getLogger(__name__)


class LinkProblem(enum.StrEnum):
    FORGED = "forged"
    EXPIRED = "expired"
    USED = "used"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"


class UnusableInvitation(Exception):
    """The link can't be used; `problem` says whether it is unknown, expired or already used."""

    def __init__(self, problem: LinkProblem):
        super().__init__(problem.value)
        self.problem = problem


class InvitationStatus(enum.StrEnum):
    WAITING = "waiting"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"


class UnknownInvitation(LookupError):
    """No invitation has that id: the page answers 404."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    inviter: User, email: str, role: str, now: datetime, days: int | None = None
) -> tuple[Invitation, str]:
    """A new invitation and its token; only the token's hash is stored, so show the link now.

    `days` is how long the link works: the route passes the INVITATION_DAYS setting. Left out
    (scripts, tests), it is config.py's default, read when called, never frozen at import."""
    if days is None:
        days = config.INVITATION_DAYS
    email = check_email(email)
    role = check_role(role)
    # Only the newest link for an address works: a lost link, or one sent with the wrong
    # role, is replaced rather than left open.
    _cancel_open(Invitation.email == email, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation(
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by_id=inviter.id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    try:
        # A savepoint: losing the race below must leave the caller's transaction usable.
        with db.session.begin_nested():
            db.session.add(invitation)
    except IntegrityError:
        # Another member invited this address at the same moment: theirs is the open link.
        raise AccountError(
            f"Someone else has just invited {email}: their link is in the list below.", "email"
        ) from None
    log.info(
        "Invitation %d made by %s for a new %s, valid %d days",
        invitation.id,
        who(inviter),
        role,
        days,
    )
    return invitation, token


def find_invitation(token: str, now: datetime) -> Invitation:
    """The invitation a link opens, or UnusableInvitation saying why it doesn't."""
    invitation = None
    if len(token) <= TOKEN_MAX_LENGTH:
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == token_hash(token))
        )
    if invitation is None:
        raise UnusableInvitation(LinkProblem.FORGED)
    if problem := _link_problem(invitation, now):
        raise UnusableInvitation(problem)
    return invitation


def _link_problem(invitation: Invitation, now: datetime) -> LinkProblem | None:
    if invitation.accepted_at is not None:
        return LinkProblem.USED
    if invitation.cancelled_at is not None:
        replaced = invitation.id in replaced_ids([invitation])
        return LinkProblem.REPLACED if replaced else LinkProblem.WITHDRAWN
    if invitation.expires_at <= now:
        return LinkProblem.EXPIRED
    return None


def accept_invitation(token: str, display_name: str, password: str, now: datetime) -> User:
    """Make the invited person's account and use the link up.

    Raises UnusableInvitation or AccountError; the caller rolls back on either.
    """
    invitation = find_invitation(token, now)
    # Claimed first, in one conditional statement: of two tabs sending the form at once, the
    # second waits for the first and then finds the link used, before it makes any account;
    # a link withdrawn or replaced meanwhile is refused the same way.
    claimed = rows_changed(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed != 1:
        db.session.refresh(invitation)
        raise UnusableInvitation(_link_problem(invitation, now) or LinkProblem.USED)
    user = create_user(invitation.email, display_name, invitation.role, password)
    # Accepting signs the new person in: the people page shows it as their first sign-in.
    user.last_signed_in_at = now
    db.session.flush()
    log.info("Invitation %d accepted: new %s", invitation.id, who(user))
    return user


def _newest_first() -> Select[Invitation]:
    """Invitations, newest first, with who sent them."""
    return (
        select(Invitation)
        .options(selectinload(Invitation.invited_by))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )


def recent_invitations(
    now: datetime, limit: int = LIST_LENGTH
) -> list[tuple[Invitation, InvitationStatus]]:
    """The newest invitations first, with who sent them and their status."""
    found = list(db.session.scalars(_newest_first().limit(limit)))
    replaced = replaced_ids(found)
    return [(i, invitation_status(i, now, i.id in replaced)) for i in found]


def waiting_invitations(
    now: datetime, limit: int = LIST_LENGTH
) -> list[tuple[Invitation, InvitationStatus]]:
    """The links that still work, newest first, with who sent them (rows as above)."""
    found = db.session.scalars(
        _newest_first()
        .where(
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
            Invitation.expires_at > now,
        )
        .limit(limit)
    )
    return [(invitation, InvitationStatus.WAITING) for invitation in found]


def replaced_ids(found: list[Invitation]) -> set[int]:
    """Which of these cancelled invitations a newer one to the same address replaced; the
    others were withdrawn by a member."""
    emails = {i.email for i in found if i.cancelled_at is not None}
    if not emails:
        return set()
    newest = dict(
        db.session.execute(
            select(Invitation.email, func.max(Invitation.id))
            .where(Invitation.email.in_(emails))
            .group_by(Invitation.email)
        ).all()
    )
    return {i.id for i in found if i.email in emails and i.id < newest[i.email]}


def invitation_status(
    invitation: Invitation, now: datetime, replaced: bool = False
) -> InvitationStatus:
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.cancelled_at is not None:
        return InvitationStatus.REPLACED if replaced else InvitationStatus.WITHDRAWN
    if invitation.expires_at <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.WAITING


def withdraw_invitation(invitation_id: int, member: User, now: datetime) -> Invitation:
    """Stop a waiting link working; its page then says it was withdrawn.

    One conditional statement: a link being used at this moment is either withdrawn first,
    or used first and then refused here.
    """
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise UnknownInvitation(invitation_id)
    withdrawn = _cancel_open(Invitation.id == invitation_id, now)
    db.session.refresh(invitation)
    if withdrawn != 1:
        raise AccountError(_not_waiting(invitation))
    log.info("Invitation %d withdrawn by %s", invitation.id, who(member))
    return invitation


def _cancel_open(which: ColumnElement[bool], now: datetime) -> int:
    """Cancel the open invitations among `which`, in one conditional statement; how many."""
    return rows_changed(
        update(Invitation)
        .where(which, Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )


def _not_waiting(invitation: Invitation) -> str:
    if invitation.accepted_at is not None:
        return f"The invitation for {invitation.email} has been used already: nothing to withdraw."
    return f"The invitation for {invitation.email} no longer works: nothing to withdraw."
