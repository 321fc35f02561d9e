"""The rules templates and feeds ask of a review, defined once on the model or in the domain:
whether a revision is pending, when the public text went out, how many approvals are missing,
and when the feed last changed."""

from datetime import timedelta

import pytest
from review_helpers import NOW

from firestorm.reviews.approvals import QueueEntry
from firestorm.reviews.models import Review, ReviewState
from firestorm.reviews.published import feed_updated


@pytest.mark.parametrize(
    ("state", "published_body", "pending"),
    [
        (ReviewState.DRAFT, None, False),
        (ReviewState.SUBMITTED, None, False),
        (ReviewState.PUBLISHED, "The approved text.", False),
        (ReviewState.DRAFT, "The approved text.", True),
        (ReviewState.SUBMITTED, "The approved text.", True),
        (ReviewState.RETURNED, "The approved text.", True),
    ],
)
def test_a_revision_is_pending_while_a_published_review_is_worked_on(
    state, published_body, pending
):
    review = Review(state=state, body="New words.", published_body=published_body)

    assert review.has_pending_revision is pending
    assert review.is_public is (published_body is not None)


def test_the_public_text_went_out_when_it_was_published_or_last_revised():
    first = Review(published_at=NOW)
    revised = Review(published_at=NOW, revised_at=NOW + timedelta(days=3))

    assert first.last_published_at == NOW
    assert revised.last_published_at == NOW + timedelta(days=3)


@pytest.mark.parametrize(("approvers", "required", "missing"), [(0, 1, 1), (1, 3, 2), (2, 2, 0)])
def test_approvals_still_needed(approvers, required, missing):
    entry = QueueEntry(review=Review(), approver_ids=frozenset(range(approvers)))

    assert entry.approvals_still_needed(required) == missing


def test_the_feed_was_updated_by_its_newest_publication_or_revision():
    older = Review(published_at=NOW - timedelta(days=9))
    revised = Review(published_at=NOW - timedelta(days=20), revised_at=NOW - timedelta(days=1))

    assert feed_updated([older, revised], default=NOW) == NOW - timedelta(days=1)
    assert feed_updated([], default=NOW) == NOW
