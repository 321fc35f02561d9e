"""Notices to authors about the collective's decisions on their reviews: made where each
decision is taken, listed on the author's dashboard until read, and handed over as letters for
the route that took the decision to put in the outbox (collective/queue_routes.py)."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ScalarSelect, event, select, update
from sqlalchemy.orm import Session, SessionTransaction, joinedload

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.notices.models import Notice, NoticeKind
from firestorm.people.models import User
from firestorm.reviews import approvals
from firestorm.reviews.models import Review, ReviewAction, ReviewEvent

log = logging.getLogger(__name__)

# What each notice says, and the subject of its email.
WORDS: dict[str, str] = {
    NoticeKind.APPROVED: (
        "A collective member approved your review of “{title}”. "
        "It waits for more approvals before it's published."
    ),
    NoticeKind.RETURNED: "The collective returned your review of “{title}” with a note.",
    NoticeKind.PUBLISHED: "Your review of “{title}” is published: everyone can read it now.",
}
SUBJECTS = {
    NoticeKind.APPROVED: "Your review of “{title}” has an approval",
    NoticeKind.RETURNED: "Your review of “{title}” came back with a note",
    NoticeKind.PUBLISHED: "Your review of “{title}” is published",
}
# Where this transaction's letters wait to be put in the outbox, in the session's info.
LETTERS = "notice_letters"


class NoticeNotFound(LookupError):
    """No such notice for this person: someone else's is as good as missing."""


@dataclass(frozen=True)
class Letter:
    """A notice as an email, in plain values: it is sent after the commit, when the models
    may no longer be read. It holds the notice's words and the collective's note to this author,
    never the text of anyone's review."""

    user_id: int
    to: str
    name: str
    subject: str
    words: str
    note: str
    review_id: int

    def text(self, link: str, store_name: str) -> str:
        parts = [f"Hello {self.name},", self.words]
        if self.note:
            parts.append("The note:\n\n" + "\n".join(f"> {line}" for line in self.note.split("\n")))
        parts += [f"Open your review:\n{link}", store_name]
        return "\n\n".join(parts) + "\n"


def tell_author(
    review: Review, actor: User, kind: NoticeKind, now: datetime, note: str = ""
) -> Notice | None:
    """A notice to the review's author about what `actor` has just decided, and a letter to
    mail when the decision is committed. Nobody is told about their own steps.

    The newest notice says where the review stands, so it replaces the author's unread ones
    about the same review (an approval, then its publication, make one notice, not two).
    """
    if actor.id == review.reviewer_id:
        return None
    db.session.execute(
        update(Notice)
        .where(
            Notice.user_id == review.reviewer_id,
            Notice.review_id == review.id,
            Notice.read_at.is_(None),
        )
        .values(read_at=now)
    )
    notice = Notice(user_id=review.reviewer_id, review_id=review.id, kind=kind, created_at=now)
    db.session.add(notice)
    _write_letter(review, kind, note)
    log.info("Notice to user %d: review %d %s", review.reviewer_id, review.id, kind)
    return notice


@approvals.decided.connect
def tell_author_of_decision(
    review: Review, member: User, action: ReviewAction, now: datetime, note: str
) -> None:
    tell_author(review, member, NoticeKind(action.value), now, note)


def _write_letter(review: Review, kind: NoticeKind, note: str) -> None:
    author = db.session.execute(
        select(User.email, User.display_name, User.is_active).where(User.id == review.reviewer_id)
    ).one()
    if not author.is_active:
        return  # a deactivated account sees its notices if it comes back, but gets no mail
    title = db.session.get_one(Book, review.book_id).title
    letter = Letter(
        user_id=review.reviewer_id,
        to=author.email,
        name=author.display_name,
        subject=SUBJECTS[kind].format(title=title),
        words=WORDS[kind].format(title=title),
        note=note,
        review_id=review.id,
    )
    db.session.info.setdefault(LETTERS, []).append(letter)


def take_letters(session: Session) -> list[Letter]:
    """This transaction's letters, taken away so they go at most once."""
    return session.info.pop(LETTERS, [])


@event.listens_for(db.session, "after_transaction_end")
def _forget_letters(session: Session, transaction: SessionTransaction) -> None:
    """Letters nobody took before the transaction ended (a refusal, a lost race, a command that
    mails nobody) are dropped with it."""
    if transaction.parent is None:
        session.info.pop(LETTERS, None)


# --- What the author reads -------------------------------------------------------------------


@dataclass(frozen=True)
class UnreadNotice:
    """A notice as the dashboard draws it, with the note of the return it tells about."""

    notice: Notice
    note: str = ""

    @property
    def words(self) -> str:
        return WORDS[self.notice.kind].format(title=self.notice.review.book.title)


def unread_notices(person: User) -> list[UnreadNotice]:
    """The person's unread notices, newest first, in one query (the note included)."""
    rows = db.session.execute(
        select(Notice, _note_of_the_return())
        .where(Notice.user_id == person.id, Notice.read_at.is_(None))
        .options(
            joinedload(Notice.review)
            .load_only(Review.id, Review.book_id)
            .joinedload(Review.book)
            .load_only(Book.title)
        )
        .order_by(Notice.created_at.desc(), Notice.id.desc())
    )
    return [
        UnreadNotice(notice, (note or "") if notice.kind == NoticeKind.RETURNED else "")
        for notice, note in rows
    ]


def _note_of_the_return() -> ScalarSelect[str]:
    """The note of the latest return of the notice's review made by the notice's time: the
    return a "returned" notice tells about."""
    return (
        select(ReviewEvent.note)
        .where(
            ReviewEvent.review_id == Notice.review_id,
            ReviewEvent.action == ReviewAction.RETURNED,
            ReviewEvent.created_at <= Notice.created_at,
        )
        .order_by(ReviewEvent.id.desc())
        .limit(1)
        .correlate(Notice)
        .scalar_subquery()
    )


def mark_read(person: User, notice_id: int, now: datetime) -> None:
    """Only the person the notice is for may mark it read; marking it again changes nothing."""
    notice = db.session.scalar(
        select(Notice).where(Notice.id == notice_id, Notice.user_id == person.id)
    )
    if notice is None:
        raise NoticeNotFound()
    if notice.read_at is None:
        notice.read_at = now
    db.session.flush()


def mark_all_read(person: User, now: datetime) -> None:
    db.session.execute(
        update(Notice)
        .where(Notice.user_id == person.id, Notice.read_at.is_(None))
        .values(read_at=now)
    )
