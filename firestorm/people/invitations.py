"""Invitations: one-time links that let a new volunteer or collective member make an account."""

import enum
import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from firestorm import config
from firestorm.database import db
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


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    inviter: User, email: str, role: str, now: datetime, days: int = config.INVITATION_DAYS
) -> tuple[Invitation, str]:
    """A new invitation and its token; only the token's hash is stored, so show the link now."""
    email = check_email(email)
    role = check_role(role)
    # Only the newest link for an address works: a lost link, or one sent with the wrong
    # role, is replaced rather than left open.
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
        )
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
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
    if invitation.accepted_at is not None:
        raise UnusableInvitation(LinkProblem.USED)
    if invitation.cancelled_at is not None:
        raise UnusableInvitation(LinkProblem.REPLACED)
    if invitation.expires_at <= now:
        raise UnusableInvitation(LinkProblem.EXPIRED)
    return invitation


def accept_invitation(token: str, display_name: str, password: str, now: datetime) -> User:
    """Make the invited person's account and use the link up.

    Raises UnusableInvitation or AccountError; the caller rolls back on either.
    """
    invitation = find_invitation(token, now)
    # Claimed first, in one conditional statement: of two tabs sending the form at once, the
    # second waits for the first and then finds the link used, before it makes any account.
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise UnusableInvitation(LinkProblem.USED)
    user = create_user(invitation.email, display_name, invitation.role, password)
    db.session.flush()
    log.info("Invitation %d accepted: new %s", invitation.id, who(user))
    return user


def recent_invitations(limit: int = LIST_LENGTH) -> list[Invitation]:
    """The newest invitations first, with who sent them."""
    return list(
        db.session.scalars(
            select(Invitation)
            .options(selectinload(Invitation.invited_by))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
            .limit(limit)
        )
    )


def invitation_status(invitation: Invitation, now: datetime) -> InvitationStatus:
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.cancelled_at is not None:
        return InvitationStatus.REPLACED
    if invitation.expires_at <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.WAITING
