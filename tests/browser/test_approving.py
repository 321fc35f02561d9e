"""Approving and returning reviews in a real browser: rows redrawn in place with the count in
the navigation, the author's and the public's pages afterwards, plain forms without
JavaScript, and axe on the queue."""

import re

import pytest
from browser_checks import describe_violations, mark_this_page_load, page_was_not_reloaded
from playwright.sync_api import expect
from sqlalchemy import select

from firestorm.catalog import books
from firestorm.database import db
from firestorm.people.models import User
from firestorm.reviews import approvals, workflow
from firestorm.reviews.models import Review, ReviewState
from firestorm.web import clock

TEXT = (
    "A *slow* read, and worth it. Zibechi walks through the neighbourhood councils of El Alto "
    "and shows how people organise without a state."
)
NOTE = "Say who it is for, and why now."


@pytest.fixture
def submit_with_book(app):
    """submit_with_book(author, title, body=…) -> (review id, book id): a review of a new book,
    written and sent through the workflow."""

    def submit_with_book(author, title, body=TEXT):
        with app.app_context():
            book = books.add_book(title=title, authors=["Raúl Zibechi"])
            person = db.session.get(User, author.id)
            review = workflow.start_review(person, book)
            db.session.flush()
            workflow.save_draft(
                review, person, body, max_length=10_000, seen_version=review.version
            )
            workflow.submit_review(review, person, clock.current_time(), 100, 10_000)
            db.session.commit()
            return review.id, book.id

    return submit_with_book


@pytest.fixture
def two_reviews(people, submit_with_book):
    return {
        "dispersing": submit_with_book(people["robin"], "Dispersing Power"),
        "emergent": submit_with_book(people["robin"], "Emergent Strategy"),
    }


def state_of(app, review_id) -> str:
    with app.app_context():
        return db.session.scalar(select(Review.state).where(Review.id == review_id))


# --- With JavaScript -------------------------------------------------------------------------


def test_approve_one_and_return_another_without_a_reload(
    page, context, app, people, two_reviews, sign_in_browser, axe_violations
):
    approved_id, approved_book = two_reviews["dispersing"]
    returned_id, _ = two_reviews["emergent"]
    sign_in_browser(context, people["sam"])
    page.goto("/collective/queue")
    mark_this_page_load(page)
    badge = page.locator("#queue-count .count-badge")
    expect(badge).to_have_text("2")

    approved = page.locator(f"#queue-review-{approved_id}")
    approved.get_by_role("button", name=re.compile(r"^Approve")).click()

    outcome = approved.locator(".queue-outcome")
    expect(outcome).to_have_text(
        "Published: read it on the book's page, or print a shelf-talker of it."
    )
    expect(outcome).to_be_focused()
    expect(badge).to_have_text("1")
    expect(page.locator("#flash-messages")).to_contain_text(
        "Robin's review of “Dispersing Power” is published."
    )

    returned = page.locator(f"#queue-review-{returned_id}")
    returned.get_by_label("Your note for Robin").fill(NOTE)
    returned.get_by_role("button", name="Return to Robin with this note").click()

    expect(returned.locator(".queue-outcome")).to_have_text("Returned to Robin with your note.")
    expect(returned.locator(".review-history")).to_contain_text(NOTE)
    expect(badge).to_have_count(0)
    expect(page.locator(".queue-entry")).to_have_count(2)
    assert page_was_not_reloaded(page)
    assert (state_of(app, approved_id), state_of(app, returned_id)) == ("published", "returned")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    sign_in_browser(context, people["robin"])
    page.goto("/my/")
    returned_section = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("^Returned"))
    )
    expect(returned_section).to_contain_text("Emergent Strategy")
    expect(returned_section.locator(".collective-note")).to_contain_text(NOTE)
    page.goto(f"/books/{approved_book}")
    expect(page.locator(".review")).to_contain_text("reviewed by Robin")
    expect(page.locator(".review-body em")).to_have_text("slow")


def test_a_note_of_blank_space_comes_back_in_place_with_the_reason(
    page, context, people, two_reviews, sign_in_browser, axe_violations
):
    review_id, _ = two_reviews["dispersing"]
    sign_in_browser(context, people["sam"])
    page.goto("/collective/queue")
    mark_this_page_load(page)
    row = page.locator(f"#queue-review-{review_id}")

    # Spaces get past the browser's own check for an empty field; the server says why.
    row.get_by_label("Your note for Robin").fill("   ")
    row.get_by_role("button", name="Return to Robin with this note").click()

    expect(row.locator(".field-errors")).to_have_text(
        "Write a note for the author: what should change before it's published?"
    )
    expect(row.get_by_label("Your note for Robin")).to_be_focused()
    assert page_was_not_reloaded(page)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_a_member_waiting_for_a_second_approval_sees_so_in_place(
    page, context, app, people, two_reviews, sign_in_browser, monkeypatch
):
    monkeypatch.setitem(app.config, "REVIEW_APPROVALS_REQUIRED", 2)
    review_id, _ = two_reviews["dispersing"]
    sign_in_browser(context, people["sam"])
    page.goto("/collective/queue")
    row = page.locator(f"#queue-review-{review_id}")

    row.get_by_role("button", name=re.compile(r"^Approve")).click()

    expect(row.locator(".queue-outcome")).to_have_text("Approved — waiting for 1 more approval")
    expect(row.locator(".queue-approvals")).to_have_text("Approvals: 1 of 2, from Sam.")
    expect(row.get_by_role("button", name=re.compile(r"^Approve"))).to_have_count(0)
    expect(page.locator("#queue-count .count-badge")).to_have_text("2")
    assert state_of(app, review_id) == ReviewState.SUBMITTED


# --- Without JavaScript ----------------------------------------------------------------------


def test_the_same_through_plain_forms_without_javascript(
    new_context, app, people, two_reviews, sign_in_browser
):
    context = new_context(java_script_enabled=False)
    sign_in_browser(context, people["sam"])
    page = context.new_page()
    approved_id, _ = two_reviews["dispersing"]
    returned_id, _ = two_reviews["emergent"]
    page.goto("/collective/queue")

    page.locator(f"#queue-review-{approved_id}").get_by_role(
        "button", name=re.compile(r"^Approve")
    ).click()

    expect(page).to_have_url(re.compile(r"/collective/queue$"))
    expect(page.get_by_text("Robin's review of “Dispersing Power” is published.")).to_be_visible()
    expect(page.locator("#queue-count .count-badge")).to_have_text("1")

    returned = page.locator(f"#queue-review-{returned_id}")
    returned.get_by_label("Your note for Robin").fill(NOTE)
    returned.get_by_role("button", name="Return to Robin with this note").click()

    expect(page).to_have_url(re.compile(r"/collective/queue$"))
    expect(page.get_by_text("is returned with your note.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for approval.")).to_be_visible()
    assert (state_of(app, approved_id), state_of(app, returned_id)) == ("published", "returned")


# --- Accessibility ---------------------------------------------------------------------------


def test_the_queue_has_no_accessibility_violations(
    page,
    context,
    app,
    people,
    two_reviews,
    submit_with_book,
    sign_in_browser,
    axe_violations,
    monkeypatch,
):
    monkeypatch.setitem(app.config, "REVIEW_APPROVALS_REQUIRED", 2)
    # A revision (with what changed), my own review, and one I approved already.
    revised_id, _ = submit_with_book(
        people["mara"], "Pleasure Activism", TEXT.replace("slow", "quick")
    )
    with app.app_context():
        now, review = clock.current_time(), db.session.get(Review, revised_id)
        mara = db.session.get(User, people["mara"].id)
        sam = db.session.get(User, people["sam"].id)
        approvals.approve_review(review, sam, now, 1, seen_round=review.round)
        workflow.save_draft(review, mara, TEXT, max_length=10_000, seen_version=review.version)
        workflow.submit_review(review, mara, now, 100, 10_000)
        db.session.commit()
    submit_with_book(people["sam"], "Sam's Own Pick")
    with app.app_context():
        review = db.session.get(Review, two_reviews["emergent"][0])
        approvals.approve_review(
            review,
            db.session.get(User, people["sam"].id),
            clock.current_time(),
            2,
            seen_round=review.round,
        )
        db.session.commit()
    sign_in_browser(context, people["sam"])

    page.goto("/collective/queue")
    expect(page.locator(".text-changes del")).to_have_text("quick")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_the_empty_queue_has_no_accessibility_violations(
    page, context, people, sign_in_browser, axe_violations
):
    sign_in_browser(context, people["sam"])

    page.goto("/collective/queue")

    expect(page.get_by_text("Nothing is waiting for approval.")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
