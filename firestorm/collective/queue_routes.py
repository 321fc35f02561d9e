"""The approval queue, /collective/queue: submitted reviews, approved or returned from there."""

from dataclasses import dataclass

from flask import abort, current_app, flash, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from firestorm.collective import bp
from firestorm.collective.queue_forms import ApproveForm, ReturnForm
from firestorm.database import db
from firestorm.notices import inbox
from firestorm.outbox import queue
from firestorm.reviews import approvals, workflow
from firestorm.reviews.models import Review, ReviewAction, ReviewEvent
from firestorm.reviews.rendering import text_changes
from firestorm.web import clock, transaction
from firestorm.web.htmx import page_or_partial, redirect_or_partial
from firestorm.web.site_address import absolute_url

PAGE = "collective/queue.html"
ROW_UPDATE = "collective/_queue_row_update.html"
# The database refused the second of two decisions landing together (version or unique index).
AT_THE_SAME_MOMENT = (
    "Another member decided on this review at the same moment: here is where it stands now."
)
CHANGED_MEANWHILE = "This review changed while you were reading it: here is where it stands now."
# What a decision can run into besides the rules: someone else's decision committed first.
RACES = (StaleDataError, IntegrityError)


@dataclass
class QueueRow:
    """One review as the queue draws it: its two forms, and what has just happened to it."""

    entry: approvals.QueueEntry
    approve_form: ApproveForm
    return_form: ReturnForm
    just_decided: bool = False
    # Why a decision was refused, said above the forms.
    problem: str = ""
    # A note typed for a review decided meanwhile: shown, so it can be copied, never lost.
    unsent_note: str = ""

    @classmethod
    def of(
        cls,
        entry: approvals.QueueEntry,
        return_form: ReturnForm | None = None,
        just_decided: bool = False,
    ) -> "QueueRow":
        review = entry.review
        return cls(
            entry,
            ApproveForm(review, formdata=None),
            return_form or ReturnForm(review, formdata=None),
            just_decided=just_decided,
        )

    @property
    def approvals_required(self) -> int:
        return current_app.config["REVIEW_APPROVALS_REQUIRED"]

    @property
    def approvals_still_needed(self) -> int:
        return self.entry.approvals_still_needed(self.approvals_required)

    @property
    def waiting(self) -> bool:
        return workflow.may(self.entry.review, "decide")

    @property
    def changes(self) -> Markup:
        """A revision against the text the public reads now."""
        review = self.entry.review
        return text_changes(review.published_body or "", review.body)

    @property
    def last_return(self) -> ReviewEvent | None:
        returns = [e for e in self.entry.history if e.action == ReviewAction.RETURNED]
        return returns[-1] if returns else None


@bp.get("/queue", endpoint="queue")
def queue_page() -> ResponseReturnValue:
    rows = [QueueRow.of(entry) for entry in approvals.waiting_reviews()]
    return render_template(PAGE, rows=rows)


@bp.post("/reviews/<id:review_id>/approve", endpoint="approve_review")
def approve_review(review_id: int) -> ResponseReturnValue:
    review = entry_or_404(review_id).review
    form = ApproveForm(review)
    whose = whose_review(review)
    try:
        published = approvals.approve_review(
            review,
            current_user,
            clock.current_time(),
            current_app.config["REVIEW_APPROVALS_REQUIRED"],
            seen_round=form.round.data,
        )
    except (workflow.ReviewError, *RACES) as error:
        return refused(review_id, error)
    if published:
        return decided(review_id, f"{whose} is published.")
    return decided(review_id, f"You approved {whose}. It waits for more approvals.")


@bp.post("/reviews/<id:review_id>/return", endpoint="return_review")
def return_review(review_id: int) -> ResponseReturnValue:
    review = entry_or_404(review_id).review
    form = ReturnForm(review)
    whose = whose_review(review)
    try:
        approvals.return_review(
            review,
            current_user,
            form.note.data or "",
            clock.current_time(),
            seen_round=form.round.data,
        )
    except (workflow.ReviewError, *RACES) as error:
        return refused(review_id, error, form)
    return decided(review_id, f"{whose} is returned with your note.")


# --- Shared by the decisions above ------------------------------------------------------------


def entry_or_404(review_id: int) -> approvals.QueueEntry:
    entry = approvals.queue_entry(review_id)
    if entry is None:
        abort(404)
    return entry


def whose_review(review: Review) -> str:
    return f"{review.reviewer.display_name}'s review of “{review.book.title}”"


def decided(review_id: int, message: str) -> ResponseReturnValue:
    """After a decision: the queue again without JavaScript; with htmx, the row in its new
    state, the navigation's count and the flash message out of band."""
    mail_notice_letters()
    flash(message, "success")
    return redirect_or_partial(
        url_for(".queue"),
        lambda: row_response(QueueRow.of(entry_or_404(review_id), just_decided=True)),
    )


def mail_notice_letters() -> None:
    """The letters the decision wrote to authors (notices/inbox.py), each a message in the
    outbox, committed with the decision and sent after the response."""
    config = current_app.config
    for letter in inbox.take_letters(db.session()):
        link = absolute_url("volunteer.edit_review", review_id=letter.review_id)
        queue.enqueue(
            config,
            letter.to,
            letter.subject,
            letter.text(link, config["STORE_NAME"]),
            f"notice to user {letter.user_id} about review {letter.review_id}",
            clock.current_time(),
        )


def refused(
    review_id: int, error: Exception, form: ReturnForm | None = None
) -> ResponseReturnValue:
    """The row as it stands now, with why nothing was done; a typed note is kept."""
    transaction.discard_changes()
    entry = entry_or_404(review_id)
    typed_note = (form.note.data or "") if form else ""
    # Drawn with the current round: sending it again now decides on what is shown now.
    row = QueueRow.of(entry, ReturnForm(entry.review, formdata=None, note=typed_note))
    if not row.waiting:
        row.unsent_note = typed_note.strip()
    if isinstance(error, approvals.NoteProblem):
        row.return_form.show_refusal(error)
        return row_response(row, 422)
    if isinstance(error, approvals.DecisionError):
        row.problem = str(error)
        return row_response(row, 422)
    row.problem = concurrent_change_message(error)
    return row_response(row, 409)


def concurrent_change_message(error: Exception) -> str:
    if isinstance(error, RACES):
        return AT_THE_SAME_MOMENT
    if isinstance(error, workflow.ChangedMeanwhile):
        return CHANGED_MEANWHILE
    return str(error)  # no longer waiting: "This review has just been published…"


def row_response(row: QueueRow, status: int = 200) -> ResponseReturnValue:
    """The row alone for htmx; without JavaScript, the whole queue with the row in it."""
    return page_or_partial(
        lambda: (render_template(PAGE, rows=rows_with(row)), status),
        lambda: (render_template(ROW_UPDATE, row=row), status),
    )


def rows_with(changed: QueueRow) -> list[QueueRow]:
    """The queue with this row drawn as it is now, in its place or, if decided, on top."""
    rows = [
        changed if entry.review.id == changed.entry.review.id else QueueRow.of(entry)
        for entry in approvals.waiting_reviews()
    ]
    return rows if any(row is changed for row in rows) else [changed, *rows]
