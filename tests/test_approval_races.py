"""Decisions that arrive too late (the review changed after the page was drawn), and two
collective members deciding on one review at the same moment on the real database: one
decision wins, the other is told so, and the review is never left half-decided."""

import threading

import pytest
from review_helpers import (
    NOW,
    TEXT,
    approve_path,
    as_drawn,
    history_of,
    page_text,
    post_at_once,
    return_path,
    saved,
)
from sqlalchemy import select, text

from firestorm.collective import queue_routes
from firestorm.database import db
from firestorm.people.models import User
from firestorm.reviews import approvals, workflow
from firestorm.reviews.models import Review, ReviewAction, ReviewEvent, ReviewState

# --- Decisions that arrive too late --------------------------------------------------------


def test_a_decision_on_a_review_withdrawn_meanwhile_keeps_the_typed_note(
    app, people, submit, as_member, post
):
    review_id = submit(people["robin"])
    with app.app_context():
        robin = db.session.get(User, people["robin"].id)
        workflow.withdraw_review(db.session.get(Review, review_id), robin, NOW)
        db.session.commit()
    as_member(people["sam"])

    response = post(
        return_path(review_id),
        {**as_drawn(app, review_id), "note": "Too late, but said."},
        htmx=True,
    )

    page = page_text(response)
    assert response.status_code == 409
    assert "Its author has withdrawn this review." in page
    assert "<strong>Withdrawn</strong> by Robin" in page
    assert "Your note was not sent." in page and "Too late, but said." in page
    assert 'class="return-form"' not in page


def test_a_decision_on_a_page_drawn_before_another_members_approval_stands(
    client, app, people, submit, as_member, post, monkeypatch
):
    """Another member's approval changes nothing the member read: the text is the same."""
    monkeypatch.setitem(app.config, "REVIEW_APPROVALS_REQUIRED", 2)
    review_id = submit(people["robin"])
    seen = as_drawn(app, review_id)
    as_member(people["mara"])
    post(approve_path(review_id), seen)
    as_member(people["sam"])

    response = post(return_path(review_id), {**seen, "note": "Wait!"}, htmx=True)

    assert response.status_code == 200
    assert "Returned to Robin with your note" in page_text(response)
    assert saved(app, review_id).state == ReviewState.RETURNED


def test_a_decision_on_an_earlier_submission_is_refused_with_the_note_kept(
    client, app, people, submit, as_member, post
):
    review_id = submit(people["robin"])
    seen = as_drawn(app, review_id)
    submit(
        people["robin"],
        body=TEXT + " Sent again, changed.",
        review_id=withdrawn(app, people, review_id),
    )
    as_member(people["sam"])

    for htmx in (False, True):
        response = post(return_path(review_id), {**seen, "note": "Wait!"}, htmx=htmx)

        page = page_text(response)
        assert response.status_code == 409
        assert queue_routes.CHANGED_MEANWHILE.replace("'", "&#39;") in page
        assert "Wait!</textarea>" in page
        assert f'id="return-round-{review_id}" name="round" type="hidden" value="2"' in page
    assert saved(app, review_id).state == ReviewState.SUBMITTED

    post(return_path(review_id), {**as_drawn(app, review_id), "note": "Wait!"})
    assert saved(app, review_id).state == ReviewState.RETURNED


@pytest.mark.parametrize("round_sent", [None, "", "abc", "-1", "99999999999"])
def test_a_decision_that_cannot_say_what_it_read_is_refused(
    app, people, submit, as_member, post, round_sent
):
    review_id = submit(people["robin"])
    as_member(people["sam"])
    form = {} if round_sent is None else {"round": round_sent}

    response = post(approve_path(review_id), form, htmx=True)

    assert response.status_code == 409
    assert saved(app, review_id).state == ReviewState.SUBMITTED


def withdrawn(app, people, review_id) -> int:
    with app.app_context():
        robin = db.session.get(User, people["robin"].id)
        workflow.withdraw_review(db.session.get(Review, review_id), robin, NOW)
        db.session.commit()
    return review_id


def test_a_decision_the_database_catches_at_the_same_moment_is_a_409_not_a_500(
    app, people, submit, as_member, post, monkeypatch
):
    review_id = submit(people["robin"])
    approve = approvals.approve_review

    def approve_while_another_request_commits(review, *args, **kwargs):
        # Another member's decision lands after this request read the review.
        db.session.connection().execute(
            text("UPDATE reviews SET version = version + 1 WHERE id = :id"), {"id": review.id}
        )
        return approve(review, *args, **kwargs)

    monkeypatch.setattr(approvals, "approve_review", approve_while_another_request_commits)
    as_member(people["sam"])

    response = post(approve_path(review_id), as_drawn(app, review_id), htmx=True)

    assert response.status_code == 409
    assert "Another member decided on this review at the same moment" in page_text(response)
    review = saved(app, review_id)
    assert (review.state, review.published_body) == (ReviewState.SUBMITTED, None)
    assert history_of(app, review_id) == [("submitted", "Robin", "")]


# --- Two members at the same moment, on the real database ----------------------------------


def outcome(app, review_id) -> tuple[Review, list[ReviewEvent]]:
    with app.app_context():
        review = db.session.get(Review, review_id)
        db.session.expunge(review)
        events = list(
            db.session.scalars(select(ReviewEvent).where(ReviewEvent.review_id == review_id))
        )
        return review, events


def actions(events, action) -> list[ReviewEvent]:
    return [event for event in events if event.action == action]


ROUNDS = 10


def test_two_members_approving_at_once_publish_once(app, people, submit):
    for _ in range(ROUNDS):
        review_id = submit(people["robin"])
        data = as_drawn(app, review_id)

        answers = post_at_once(
            app,
            [
                (people["sam"], approve_path(review_id), data),
                (people["mara"], approve_path(review_id), data),
            ],
        )

        assert sorted(answer.status_code for answer in answers) == [200, 409]
        review, events = outcome(app, review_id)
        assert review.state == ReviewState.PUBLISHED
        assert review.published_body == TEXT.strip()
        assert len(actions(events, ReviewAction.PUBLISHED)) == 1
        assert len(actions(events, ReviewAction.APPROVED)) == 1
        assert actions(events, ReviewAction.RETURNED) == []
        loser = next(answer for answer in answers if answer.status_code == 409)
        assert "<strong>Published</strong>" in page_text(loser)


def test_an_approval_and_a_return_at_once_never_leave_a_mixed_state(app, people, submit):
    outcomes = set()
    for round_number in range(ROUNDS):
        review_id = submit(people["robin"])
        note = f"Say more about the councils (round {round_number})."
        data = as_drawn(app, review_id)

        approved, returned = post_at_once(
            app,
            [
                (people["sam"], approve_path(review_id), data),
                (people["mara"], return_path(review_id), {**data, "note": note}),
            ],
        )

        review, events = outcome(app, review_id)
        outcomes.add(review.state)
        assert sorted([approved.status_code, returned.status_code]) == [200, 409]
        if review.state == ReviewState.PUBLISHED:
            assert approved.status_code == 200
            assert len(actions(events, ReviewAction.PUBLISHED)) == 1
            assert actions(events, ReviewAction.RETURNED) == []
            # The loser's note is not lost: it comes back to them, to keep.
            assert "Your note was not sent." in page_text(returned) and note in page_text(returned)
        else:
            assert review.state == ReviewState.RETURNED
            assert returned.status_code == 200
            assert review.published_body is None
            assert actions(events, ReviewAction.PUBLISHED) == []
            assert actions(events, ReviewAction.APPROVED) == []
            assert [event.note for event in actions(events, ReviewAction.RETURNED)] == [note]
            assert "<strong>Returned to Robin</strong> by Mara" in page_text(approved)
    assert outcomes <= {ReviewState.PUBLISHED, ReviewState.RETURNED}


@pytest.mark.parametrize("second", ["approve", "return"])
def test_when_both_read_the_review_before_either_writes_the_version_decides(
    app, people, submit, monkeypatch, on_a_server_database, second
):
    # Both requests wait here, after reading the review and before changing it.
    both_have_read = threading.Barrier(2)
    for name in ("approve_review", "return_review"):
        decide = getattr(approvals, name)

        def after_both_read(*args, _decide=decide, **kwargs):
            both_have_read.wait(timeout=10)
            return _decide(*args, **kwargs)

        monkeypatch.setattr(approvals, name, after_both_read)
    review_id = submit(people["robin"])
    data = as_drawn(app, review_id, note="Shorter, please.")
    path = approve_path if second == "approve" else return_path

    answers = post_at_once(
        app,
        [(people["sam"], approve_path(review_id), data), (people["mara"], path(review_id), data)],
    )

    assert sorted(answer.status_code for answer in answers) == [200, 409]
    loser = next(answer for answer in answers if answer.status_code == 409)
    assert queue_routes.AT_THE_SAME_MOMENT in page_text(loser)
    review, events = outcome(app, review_id)
    assert review.state in {ReviewState.PUBLISHED, ReviewState.RETURNED}
    decisions = actions(events, ReviewAction.PUBLISHED) + actions(events, ReviewAction.RETURNED)
    assert len(decisions) == 1
