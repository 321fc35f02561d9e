"""A volunteer's own reviews, under /my/: the dashboard, choosing a book, writing, withdrawing."""

from collections.abc import Callable
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from firestorm import typed_text
from firestorm.database import LARGEST_ID
from firestorm.notices import inbox
from firestorm.reviews import approvals, workflow
from firestorm.reviews.models import Review
from firestorm.search import queries
from firestorm.shop import hours
from firestorm.volunteer import bp
from firestorm.volunteer.forms import NewReviewForm, ReviewForm
from firestorm.web import clock, transaction
from firestorm.web.htmx import page_or_partial, redirect_or_partial, render_page_or_partial
from firestorm.web.sqlite import reads_only

PICKER_LENGTH = 10
# The editor, redrawn in place for htmx whatever inside it sent the request.
IN_PLACE = {"HX-Retarget": "#editor", "HX-Reswap": "outerHTML"}


@bp.context_processor
def workflow_rules() -> dict[str, Callable[..., bool]]:
    # Templates ask the workflow what a review allows, instead of repeating its rules.
    return {"may": workflow.may}


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    return render_template(
        "volunteer/dashboard.html",
        mine=workflow.reviews_of(current_user),
        notices=inbox.unread_notices(current_user),
    )


# --- Choosing the book ----------------------------------------------------------------------


@bp.get("/reviews/new")
def new_review() -> ResponseReturnValue:
    chosen = request.args.get("book_id", type=typed_text.whole_number)
    return picker_page(NewReviewForm(formdata=None), request.args.get("q", ""), chosen)


@bp.get("/books/choices")
def book_choices() -> ResponseReturnValue:
    context = picker_context(NewReviewForm(formdata=None), request.args.get("q", ""), None)
    return render_page_or_partial(
        "volunteer/new_review.html", "volunteer/_book_choices_update.html", **context
    )


@bp.post("/reviews")
def create_review() -> ResponseReturnValue:
    form = NewReviewForm()
    # Required: once the form validates, the id is there.
    book_id = form.book_id.data if form.validate_on_submit() else None
    book = workflow.book_to_review(book_id) if book_id is not None else None
    if book is None:
        if not form.book_id.errors:
            form.book_id.errors = ["We couldn't find that book. Search for it again."]
        return picker_page(form, form.q.data or "", None, status=422)
    try:
        review = workflow.start_review(current_user, book)
        if form.body.data:
            workflow.save_draft(
                review,
                current_user,
                form.body.data,
                max_length=max_length(),
                seen_version=review.version,  # started just now, in this request
            )
    except workflow.AlreadyReviewed as already:
        transaction.discard_changes()
        flash(str(already), "info")
        return redirect(url_for(".edit_review", review_id=already.review_id))
    except workflow.TextProblem as problem:
        transaction.discard_changes()
        form.show_refusal(problem)
        return picker_page(form, form.q.data or "", book.id, status=422)
    flash(f"Your review of “{book.title}” is started. Save it as often as you like.", "success")
    return redirect(url_for(".edit_review", review_id=review.id))


def picker_page(
    form: NewReviewForm, text: str, chosen_id: int | None, status: int = 200
) -> ResponseReturnValue:
    context = picker_context(form, text, chosen_id)
    return render_template("volunteer/new_review.html", **context), status


def picker_context(form: NewReviewForm, text: str, chosen_id: int | None) -> dict:
    query = queries.CatalogQuery.from_args({"q": text}, current_app.config["SEARCH_MAX_LENGTH"])
    chosen_id = chosen_id if chosen_id and 0 < chosen_id <= LARGEST_ID else None
    if chosen_id and not query.text:
        choices = workflow.chosen_book(current_user, chosen_id)
    else:
        choices = workflow.book_choices(current_user, query, PICKER_LENGTH)
    if choices.books:
        form.first_choice_id = f"book-choice-{choices.books[0].id}"
    return {"form": form, "query": query, "choices": choices, "chosen_id": chosen_id}


# --- Writing --------------------------------------------------------------------------------


@bp.get("/reviews/<id:review_id>/edit")
def edit_review(review_id: int) -> ResponseReturnValue:
    review = own_review_or_404(review_id)
    return editor_response(review, editor_form(review))


@bp.post("/reviews/<id:review_id>")
def save_review(review_id: int) -> ResponseReturnValue:
    review = own_review_or_404(review_id)
    form = ReviewForm()
    state_before = review.state
    try:
        save_typed_text(review, form)
    except (workflow.ReviewError, StaleDataError) as error:
        return refused(review_id, error, form)
    return redirect_or_partial(
        url_for(".edit_review", review_id=review_id),
        lambda: saved_in_place(review, state_before),
        said="Draft saved.",
    )


def saved_in_place(review: Review, state_before: str) -> ResponseReturnValue:
    """What htmx gets after a save: the time beside the button; or, when saving started a
    revision (or undid one), the whole editor, whose heading and buttons say the state."""
    saved_at = hours.format_time(clock.store_now().time())
    if review.state != state_before:
        flash(f"Saved at {saved_at}.", "success")
        return editor_response(review, editor_form(review), just_changed=True)
    return render_template("volunteer/_saved.html", review=review, saved_at=saved_at)


@bp.post("/reviews/<id:review_id>/submit")
def submit_review(review_id: int) -> ResponseReturnValue:
    review = own_review_or_404(review_id)
    title = review.book.title
    form = ReviewForm()
    config = current_app.config
    try:
        save_typed_text(review, form)
        workflow.submit_review(
            review,
            current_user,
            clock.current_time(),
            config["REVIEW_MIN_LENGTH"],
            config["REVIEW_MAX_LENGTH"],
        )
    except (workflow.ReviewError, StaleDataError) as error:
        return refused(review_id, error, form)
    return redirect_or_partial(
        url_for(".dashboard"),
        lambda: editor_after_step(review_id),
        said=f"Your review of “{title}” is sent to the collective for approval.",
    )


@bp.post("/reviews/preview")
@reads_only
def preview() -> ResponseReturnValue:
    """The text as the public would see it: a fragment for htmx, the whole page without JS."""
    form = ReviewForm()
    body = typed_text.paragraphs(form.body.data or "")
    problem = workflow.length_problem(body, 0, max_length())
    status = 422 if problem else 200
    return page_or_partial(
        lambda: editor_with_text_as_typed(form, problem, status),
        lambda: (render_template("volunteer/_preview.html", body=body, problem=problem), status),
    )


def editor_with_text_as_typed(
    form: ReviewForm, problem: str | None, status: int
) -> ResponseReturnValue:
    """Preview without JavaScript: the review's page again, the text as typed in its editor."""
    review = own_review_or_404(form.review_id.data or 0)
    if problem:
        form.show_refusal(workflow.TextProblem(problem))
    return editor_response(review, form, status, show_editor=True)


# --- Withdrawing ----------------------------------------------------------------------------


@bp.get("/reviews/<id:review_id>/withdraw")
def confirm_withdrawal(review_id: int) -> ResponseReturnValue:
    """ "Are you sure?" — the way to withdraw without JavaScript."""
    review = own_review_or_404(review_id)
    return render_template("volunteer/withdraw_review.html", review=review)


@bp.post("/reviews/<id:review_id>/withdraw")
def withdraw_review(review_id: int) -> ResponseReturnValue:
    review = own_review_or_404(review_id)
    title = review.book.title
    try:
        workflow.withdraw_review(review, current_user, clock.current_time())
    except (workflow.ReviewError, StaleDataError) as error:
        return refused(review_id, error)
    return redirect_or_partial(
        url_for(".dashboard"),
        lambda: editor_after_step(review_id),
        said=f"You withdrew your review of “{title}”. Nobody else sees it now.",
    )


# --- Shared by the pages above --------------------------------------------------------------


def own_review_or_404(review_id: int) -> Review:
    """The signed-in person's review; someone else's answers 404, so it doesn't show it exists."""
    review = None
    if 0 < review_id <= LARGEST_ID:
        review = workflow.own_review(current_user, review_id)
    if review is None:
        abort(404)
    return review


def editor_after_step(review_id: int) -> ResponseReturnValue:
    """For htmx, after a step that moved the review on: its editor in the new state."""
    review = own_review_or_404(review_id)
    return editor_response(review, editor_form(review), just_changed=True)


def editor_form(review: Review) -> ReviewForm:
    return ReviewForm(formdata=None, body=review.body, version=review.version)


def save_typed_text(review: Review, form: ReviewForm) -> None:
    workflow.save_draft(
        review,
        current_user,
        form.body.data or "",
        max_length=max_length(),
        seen_version=form.version.data,
    )


def refused(
    review_id: int, error: Exception, form: ReviewForm | None = None
) -> ResponseReturnValue:
    """The editor again, with the text as typed and why it was refused: nothing was changed."""
    transaction.discard_changes()
    review = own_review_or_404(review_id)
    # Typed text stays in the editor whatever the review's state now, so it is never lost.
    typed = form is not None
    form = form or editor_form(review)
    # Drawn with the current version: saving again now keeps this text on purpose.
    form.version.data = review.version
    if isinstance(error, workflow.TextProblem):
        form.show_refusal(error)
        return editor_response(review, form, 422, show_editor=typed)
    if not isinstance(error, workflow.ReviewError):  # the database noticed a concurrent change
        error = workflow.ChangedMeanwhile()
    return editor_response(review, form, 409, show_editor=typed, problem=str(error))


def editor_response(
    review: Review, form: ReviewForm, status: int = 200, **extra: Any
) -> ResponseReturnValue:
    """The review's page; for htmx, its editor alone, redrawn in place whatever was clicked."""
    context = {
        "review": review,
        "form": form,
        "note": workflow.collective_note(review),
        # Drawn beside the editor, and sent out-of-band with it, so a submission shows at once.
        "history": approvals.history_of(review.id),
        **extra,
    }
    return page_or_partial(
        lambda: (render_template("volunteer/edit_review.html", **context), status),
        lambda: (render_template("volunteer/_editor_update.html", **context), status, IN_PLACE),
    )


def max_length() -> int:
    return current_app.config["REVIEW_MAX_LENGTH"]
