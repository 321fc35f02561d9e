"""The collective's decisions on submitted reviews: approve, return with a note, publish."""

import logging
from dataclasses import dataclass
from datetime import datetime

from blinker import Signal
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from firestorm import typed_text
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people.accounts import who
from firestorm.people.models import Role, User
from firestorm.reviews import published, workflow
from firestorm.reviews.models import Review, ReviewAction, ReviewEvent, ReviewState

NOTE_MAX_LENGTH = 2000

log = logging.getLogger(__name__)

# Sent with the review as each decision is taken (`member`, `action`: approved, published or
# returned, `now`, and a return's `note`), before it is checked with the database: the author
# is told from their inbox's side (notices/inbox.py), in the same transaction.
decided = Signal("a collective member decided on a submitted review")


class DecisionError(workflow.ReviewError):
    """A decision the rules refuse, said in words the member can act on."""


class NoteProblem(DecisionError, field="note"):
    """The note for the author is missing or too long: the message goes next to the field."""


def approve_review(
    review: Review,
    member: User,
    now: datetime,
    approvals_required: int,
    *,
    seen_round: int,
) -> bool:
    """Count the member's approval; publish once enough members other than the author agree.

    Returns True when this approval published the review (or its revision).
    """
    _require_decider(review, member, seen_round)
    if member.id in approvers_this_round(review):
        raise DecisionError("You have already approved this submission.")
    workflow.record_event(review, member, ReviewAction.APPROVED, now)
    # Touching the row bumps its version: of two decisions made at the same moment on the
    # same review, the second fails on commit instead of both counting or publishing.
    review.updated_at = now
    published = len(approvers_this_round(review)) >= approvals_required
    if published:
        _publish(review, member, now)
    action = ReviewAction.PUBLISHED if published else ReviewAction.APPROVED
    decided.send(review, member=member, action=action, now=now, note="")
    workflow.check_with_database()
    log.info("Review %d approved by %s (round %d)", review.id, who(member), review.round)
    if published:
        log.info("Review %d published", review.id)
    return published


def return_review(
    review: Review, member: User, note: str, now: datetime, *, seen_round: int
) -> None:
    """Send the review back to its author with a note saying what should change."""
    _require_decider(review, member, seen_round)
    note = typed_text.paragraphs(note)
    if not note:
        raise NoteProblem("Write a note for the author: what should change before it's published?")
    if len(note) > NOTE_MAX_LENGTH:
        raise NoteProblem(f"Keep the note under {NOTE_MAX_LENGTH} characters; it has {len(note)}.")
    review.state = ReviewState.RETURNED
    workflow.record_event(review, member, ReviewAction.RETURNED, now, note)
    decided.send(review, member=member, action=ReviewAction.RETURNED, now=now, note=note)
    workflow.check_with_database()
    log.info("Review %d returned to its author by %s", review.id, who(member))


def approvers_this_round(review: Review) -> set[int]:
    """The members who approved the current submission (earlier rounds don't count)."""
    return set(
        db.session.scalars(
            select(ReviewEvent.actor_id).where(
                ReviewEvent.review_id == review.id,
                ReviewEvent.round == review.round,
                ReviewEvent.action == ReviewAction.APPROVED,
            )
        )
    )


def _require_decider(review: Review, member: User, seen_round: int) -> None:
    """Only another collective member decides, on the submission they read (`seen_round`:
    any other round, 0 for a page that said none, is refused as out of date)."""
    if member.role != Role.COLLECTIVE:
        raise DecisionError("Only collective members decide on reviews.")
    if member.id == review.reviewer_id:
        raise DecisionError("This is your own review: another member of the collective decides.")
    if seen_round != review.round:
        raise workflow.ChangedMeanwhile()
    workflow.require_step(review, "decide")


def _publish(review: Review, member: User, now: datetime) -> None:
    """The approved text goes public, replacing any earlier published text of this review.

    A revision keeps the review's first date: fixing a typo must not make it news again.
    """
    if review.published_body is None:
        review.published_at = now
        db.session.get_one(Book, review.book_id).last_reviewed_at = now
    else:
        review.revised_at = now
    review.published_body = review.body
    review.state = ReviewState.PUBLISHED
    workflow.record_event(review, member, ReviewAction.PUBLISHED, now)


# --- What the queue shows --------------------------------------------------------------------


@dataclass(frozen=True)
class QueueEntry:
    """A submitted review as the queue draws it, with who has approved it so far."""

    review: Review
    approver_ids: frozenset[int]
    # Every step so far, oldest first, with who took it: the queue names the approvers and
    # shows earlier returns beside the text, without a query per entry.
    history: tuple[ReviewEvent, ...] = ()

    def approvals_still_needed(self, approvals_required: int) -> int:
        """How many more approvals publish the current submission."""
        return max(approvals_required - len(self.approver_ids), 0)

    @property
    def approvers(self) -> list[User]:
        """The members who approved the current submission, in the order they did."""
        return [event.actor for event in self.history if _approves(event, self.review)]


def waiting_reviews() -> list[QueueEntry]:
    """Submissions and revisions waiting for a decision, oldest first."""
    waiting = db.session.scalars(
        published.with_book_authors(
            select(Review)
            .where(Review.state == ReviewState.SUBMITTED)
            .options(joinedload(Review.reviewer).load_only(User.display_name))
            .order_by(Review.submitted_at, Review.id)
        )
    ).all()
    histories = histories_of([review.id for review in waiting])
    return [_entry(review, histories.get(review.id, [])) for review in waiting]


def queue_entry(review_id: int) -> QueueEntry | None:
    """One review as the queue draws it, whatever its state now (for the row after a decision)."""
    review = db.session.scalar(
        published.with_book_authors(
            select(Review)
            .where(Review.id == review_id)
            .options(joinedload(Review.reviewer).load_only(User.display_name))
        )
    )
    if review is None:
        return None
    return _entry(review, history_of(review.id))


def queue_size() -> int:
    return db.session.execute(
        select(func.count(Review.id)).where(Review.state == ReviewState.SUBMITTED)
    ).scalar_one()


def history_of(review_id: int) -> list[ReviewEvent]:
    """Every step of a review, oldest first, with who took it."""
    return histories_of([review_id]).get(review_id, [])


def histories_of(review_ids: list[int]) -> dict[int, list[ReviewEvent]]:
    """The histories of several reviews in one query, for pages that list them."""
    if not review_ids:
        return {}
    events = db.session.scalars(
        select(ReviewEvent)
        .where(ReviewEvent.review_id.in_(review_ids))
        .options(joinedload(ReviewEvent.actor).load_only(User.display_name))
        .order_by(ReviewEvent.id)
    )
    histories: dict[int, list[ReviewEvent]] = {}
    for event in events:
        histories.setdefault(event.review_id, []).append(event)
    return histories


def _entry(review: Review, history: list[ReviewEvent]) -> QueueEntry:
    approver_ids = frozenset(event.actor_id for event in history if _approves(event, review))
    return QueueEntry(review, approver_ids, tuple(history))


def _approves(event: ReviewEvent, review: Review) -> bool:
    """An approval of the current submission (earlier rounds don't count)."""
    return event.action == ReviewAction.APPROVED and event.round == review.round
