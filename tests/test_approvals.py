"""The collective's decisions, called directly: quorum, self-approval, returns, revisions."""

from datetime import timedelta

import pytest
from review_helpers import NOW

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people.models import User
from firestorm.reviews import approvals, workflow
from firestorm.reviews.models import Review, ReviewAction, ReviewEvent, ReviewState

TEXT = "A patient, careful book about councils, markets and shared chores. " * 3


@pytest.fixture
def people(app, make_user):
    return {
        "author": make_user("volunteer", display_name="Robin"),
        "sam": make_user("collective", display_name="Sam"),
        "mara": make_user("collective", display_name="Mara"),
        "volunteer": make_user("volunteer", display_name="Theo"),
    }


def write_and_submit(app, author_id, book_id=None, review_id=None, text=TEXT, now=NOW) -> int:
    """The author's side, as the /my/ pages do it: a new review of a book, or an edit of one."""
    with app.app_context():
        author = db.session.get(User, author_id)
        if review_id is None:
            review = workflow.start_review(author, db.session.get(Book, book_id))
            db.session.flush()
        else:
            review = db.session.get(Review, review_id)
        workflow.save_draft(review, author, text, max_length=10_000, seen_version=review.version)
        workflow.submit_review(review, author, now, min_length=100, max_length=10_000)
        db.session.commit()
        return review.id


@pytest.fixture
def submitted(app, people, make_book):
    """Robin's review, written and sent to the collective."""
    return write_and_submit(app, people["author"].id, make_book("Dispersing Power").id)


@pytest.fixture
def decide(app, people):
    """Run one decision by a named person in its own transaction, as a request would: on the
    submission a page drawn now shows, unless the test says which round it saw."""

    def decide(who, step, *args, **kwargs):
        with app.app_context():
            review = db.session.get(Review, kwargs.pop("review_id"))
            kwargs.setdefault("seen_round", review.round)
            member = db.session.get(User, people[who].id)
            outcome = step(review, member, *args, **kwargs)
            db.session.commit()
            return outcome

    return decide


def review_state(app, review_id):
    with app.app_context():
        review = db.session.get(Review, review_id)
        actions = [
            event.action
            for event in db.session.scalars(
                db.select(ReviewEvent)
                .where(ReviewEvent.review_id == review_id)
                .order_by(ReviewEvent.id)
            )
        ]
        return review.state, review.published_body, actions


def test_with_a_quorum_of_one_an_approval_publishes(app, submitted, decide):
    published = decide("sam", approvals.approve_review, NOW, 1, review_id=submitted)

    state, public_text, actions = review_state(app, submitted)
    assert published is True
    assert state == ReviewState.PUBLISHED and public_text == TEXT.strip()
    assert actions == ["submitted", "approved", "published"]
    with app.app_context():
        book = db.session.get(Book, db.session.get(Review, submitted).book_id)
        assert book.last_reviewed_at == NOW


def test_with_a_quorum_of_two_the_second_member_publishes(app, submitted, decide):
    first = decide("sam", approvals.approve_review, NOW, 2, review_id=submitted)
    assert first is False
    assert review_state(app, submitted)[0] == ReviewState.SUBMITTED

    second = decide("mara", approvals.approve_review, NOW, 2, review_id=submitted)

    assert second is True
    assert review_state(app, submitted)[0] == ReviewState.PUBLISHED


def test_a_member_approves_a_submission_only_once(app, submitted, decide):
    decide("sam", approvals.approve_review, NOW, 2, review_id=submitted)

    with pytest.raises(approvals.DecisionError, match="already approved"):
        decide("sam", approvals.approve_review, NOW, 2, review_id=submitted)
    assert review_state(app, submitted)[0] == ReviewState.SUBMITTED


def test_nobody_approves_their_own_review(app, people, make_book, decide):
    review_id = write_and_submit(app, people["sam"].id, make_book().id)

    with pytest.raises(approvals.DecisionError, match="your own review"):
        decide("sam", approvals.approve_review, NOW, 1, review_id=review_id)
    with pytest.raises(approvals.DecisionError, match="your own review"):
        decide("sam", approvals.return_review, "Looks fine to me", NOW, review_id=review_id)


def test_volunteers_cannot_decide(submitted, decide):
    with pytest.raises(approvals.DecisionError, match="Only collective members"):
        decide("volunteer", approvals.approve_review, NOW, 1, review_id=submitted)


def test_one_return_sends_it_back_even_after_an_approval(app, submitted, decide):
    decide("sam", approvals.approve_review, NOW, 2, review_id=submitted)

    decide(
        "mara", approvals.return_review, "Say more about the councils.", NOW, review_id=submitted
    )

    state, public_text, actions = review_state(app, submitted)
    assert state == ReviewState.RETURNED and public_text is None
    assert actions == ["submitted", "approved", "returned"]
    with app.app_context():
        assert workflow.collective_notes([submitted]) == {submitted: "Say more about the councils."}


@pytest.mark.parametrize(("note", "message"), [("   ", "Write a note"), ("x" * 2001, "under 2000")])
def test_a_return_needs_a_note_of_sensible_length(app, submitted, decide, note, message):
    with pytest.raises(approvals.NoteProblem, match=message):
        decide("sam", approvals.return_review, note, NOW, review_id=submitted)
    assert review_state(app, submitted)[0] == ReviewState.SUBMITTED


def test_approvals_from_an_earlier_round_do_not_count_after_a_return(
    app, people, submitted, decide
):
    decide("sam", approvals.approve_review, NOW, 2, review_id=submitted)
    decide("mara", approvals.return_review, "One more pass, please.", NOW, review_id=submitted)
    write_and_submit(app, people["author"].id, review_id=submitted, text=TEXT + " Now with more.")

    still_waiting = decide("mara", approvals.approve_review, NOW, 2, review_id=submitted)
    published = decide("sam", approvals.approve_review, NOW, 2, review_id=submitted)

    assert still_waiting is False and published is True


def test_an_approved_revision_replaces_the_published_text(app, people, submitted, decide):
    decide("sam", approvals.approve_review, NOW, 1, review_id=submitted)
    write_and_submit(
        app, people["author"].id, review_id=submitted, text=TEXT + " A second thought."
    )
    # While the revision waits, the public keeps the approved text.
    assert review_state(app, submitted)[1] == TEXT.strip()

    decide("mara", approvals.approve_review, NOW + timedelta(days=1), 1, review_id=submitted)

    state, public_text, _ = review_state(app, submitted)
    assert state == ReviewState.PUBLISHED
    assert public_text.endswith("A second thought.")
    with app.app_context():
        review = db.session.get(Review, submitted)
        # Still the first date: a revision is not news; the revision has its own.
        assert review.published_at == NOW
        assert review.revised_at == NOW + timedelta(days=1)
        assert db.session.get(Book, review.book_id).last_reviewed_at == NOW


def test_a_review_withdrawn_while_in_the_queue_cannot_be_decided(app, people, submitted, decide):
    with app.app_context():
        author = db.session.get(User, people["author"].id)
        workflow.withdraw_review(db.session.get(Review, submitted), author, NOW)
        db.session.commit()

    with pytest.raises(workflow.ReviewError, match="withdrawn"):
        decide("sam", approvals.approve_review, NOW, 1, review_id=submitted)
    with app.app_context():
        assert approvals.queue_size() == 0


def test_another_members_approval_is_no_reason_to_refuse_a_decision(app, submitted, decide):
    """Two approvals required: the second member read the page before the first approved, and
    the text is the same, so their decision stands."""
    decide("sam", approvals.approve_review, NOW, 2, review_id=submitted, seen_round=1)

    published = decide("mara", approvals.approve_review, NOW, 2, review_id=submitted, seen_round=1)

    assert published is True
    assert review_state(app, submitted)[0] == ReviewState.PUBLISHED


def test_a_decision_on_an_earlier_submission_is_refused(app, people, submitted, decide):
    with app.app_context():
        author = db.session.get(User, people["author"].id)
        workflow.withdraw_review(db.session.get(Review, submitted), author, NOW)
        db.session.commit()
    write_and_submit(app, people["author"].id, review_id=submitted, text=TEXT + " Changed.")

    for seen_round in (1, 0):  # the first submission; a page that said nothing (0)
        with pytest.raises(workflow.ChangedMeanwhile):
            decide(
                "mara",
                approvals.return_review,
                "Hmm.",
                NOW,
                review_id=submitted,
                seen_round=seen_round,
            )
    assert review_state(app, submitted)[0] == ReviewState.SUBMITTED


def test_the_queue_lists_waiting_reviews_oldest_first_with_their_approvals(
    app, people, make_book, submitted, decide
):
    later_book = make_book("Later")
    write_and_submit(app, people["volunteer"].id, later_book.id, now=NOW + timedelta(hours=1))
    decide("sam", approvals.approve_review, NOW, 2, review_id=submitted)

    with app.app_context():
        queue = approvals.waiting_reviews()
        assert [entry.review.book.title for entry in queue] == ["Dispersing Power", "Later"]
        assert queue[0].approver_ids == {people["sam"].id}
        assert queue[0].review.reviewer.display_name == "Robin"
        assert approvals.queue_size() == 2


def test_the_history_keeps_every_step_with_who_and_the_note(app, submitted, decide):
    decide("mara", approvals.return_review, "Cite the chapter.", NOW, review_id=submitted)

    with app.app_context():
        history = approvals.history_of(submitted)
        assert [(event.action, event.actor.display_name, event.note) for event in history] == [
            (ReviewAction.SUBMITTED, "Robin", ""),
            (ReviewAction.RETURNED, "Mara", "Cite the chapter."),
        ]
