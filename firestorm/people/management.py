"""The collective managing its people: every account with its role, last sign-in and state;
changing a role, deactivating and reactivating, each change recorded in words. The collective
is never left without an active member, even when two members act at the same moment."""

import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from firestorm.database import db
from firestorm.pagination import Page, paginate
from firestorm.people.accounts import AccountError, check_role, deactivate_user, who
from firestorm.people.models import AccountChange, Role, User

ROLE_NAMES: dict[str, str] = {Role.VOLUNTEER: "volunteer", Role.COLLECTIVE: "collective member"}
RECENT_CHANGES = 20
CONFIRM_FIELD = "confirm"

log = logging.getLogger(__name__)


class UnknownPerson(LookupError):
    """No account has that id: the page answers 404."""


def people_page(page: int, per_page: int) -> Page:
    """One page of every account: active ones first, then by name."""
    return paginate(
        select(User).order_by(User.is_active.desc(), func.lower(User.display_name), User.id),
        page,
        per_page,
    )


def get_person(person_id: int) -> User:
    person = db.session.get(User, person_id)
    if person is None:
        raise UnknownPerson(person_id)
    return person


def person_with_changes(person_id: int, limit: int = RECENT_CHANGES) -> tuple[User, list]:
    """The account and its most recent changes, newest first, with who made them."""
    person = get_person(person_id)
    changes = db.session.scalars(
        select(AccountChange)
        .where(AccountChange.user_id == person_id)
        .options(selectinload(AccountChange.changed_by))
        .order_by(AccountChange.created_at.desc(), AccountChange.id.desc())
        .limit(limit)
    )
    return person, list(changes)


def change_role(
    person_id: int, role: str, member: User, now: datetime, confirmed: bool = False
) -> AccountChange | None:
    """Give the person another role; None when they have it already."""
    role = check_role(role)
    person, members = _locked_for_change(person_id, member)
    if person.role == role:
        return None
    if role == Role.VOLUNTEER:
        _keep_a_member(person, members, "role")
        _confirmed_if_own(person, member, confirmed)
    was = who(person)
    person.role = role
    log.info("Role of %s changed to %s by %s", was, role, who(member))
    return _recorded(person, member, f"Role changed to {ROLE_NAMES[role]}", now)


def deactivate(
    person_id: int, member: User, now: datetime, confirmed: bool = False
) -> AccountChange | None:
    """Sign the person out everywhere and stop them signing in; None when they were already."""
    person, members = _locked_for_change(person_id, member)
    if not person.is_active:
        return None
    _keep_a_member(person, members, None)
    _confirmed_if_own(person, member, confirmed)
    deactivate_user(person, by=member)
    return _recorded(person, member, "Deactivated", now)


def reactivate(person_id: int, member: User, now: datetime) -> AccountChange | None:
    """Let the person sign in again, with the password they had; None when they could already."""
    person, _ = _locked_for_change(person_id, member)
    if person.is_active:
        return None
    person.is_active = True
    log.info("Reactivated: %s, by %s", who(person), who(member))
    return _recorded(person, member, "Reactivated", now)


def _locked_for_change(person_id: int, member: User) -> tuple[User, set[int]]:
    """The person, and the ids of the active collective members, all locked until the commit.

    Two members demoting each other at once would each still see the other as a member, and
    both succeed: no row they write is the same. So every change first locks every active
    member's row, in id order (no deadlock): the second waits for the first to commit, then
    reads who is still a member. (SQLite writes one transaction at a time already.) FOR NO KEY
    UPDATE: rows that merely refer to these people (a stock change, a review) go on meanwhile.
    """
    members = set(
        db.session.scalars(
            select(User.id)
            .where(User.role == Role.COLLECTIVE, User.is_active.is_(True))
            .order_by(User.id)
            .with_for_update(key_share=True)
        )
    )
    if member.id not in members:
        raise AccountError(
            "Your own account has just been changed: only active collective members can "
            "manage people."
        )
    person = db.session.scalar(
        select(User)
        .where(User.id == person_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if person is None:
        raise UnknownPerson(person_id)
    return person, members


def _keep_a_member(person: User, members: set[int], field: str | None) -> None:
    # Only the last member themselves can be in this position: whoever acts is a member too.
    if members == {person.id}:
        raise AccountError(
            "You are the last active collective member: someone must be able to manage the "
            "shop. Make someone else a collective member first.",
            field,
        )


def _confirmed_if_own(person: User, member: User, confirmed: bool) -> None:
    if person.id == member.id and not confirmed:
        raise AccountError(
            "This is your own account: tick the box to say you understand you will lose access.",
            CONFIRM_FIELD,
        )


def _recorded(person: User, member: User, description: str, now: datetime) -> AccountChange:
    change = AccountChange(
        user_id=person.id, changed_by_id=member.id, description=description, created_at=now
    )
    db.session.add(change)
    db.session.flush()
    return change
