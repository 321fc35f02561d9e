"""The review workflow, called directly: starting, editing, submitting, withdrawing, and who may."""

from datetime import timedelta

import pytest
from review_helpers import GOOD_TEXT, NOW
from sqlalchemy import select, text
from sqlalchemy.orm.exc import StaleDataError

from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.people.models import User
from firestorm.reviews import approvals, published, workflow
from firestorm.reviews.models import Review, ReviewAction, ReviewEvent, ReviewState
from firestorm.search import queries

MIN, MAX = 100, 10_000


def step(fn, review_id, author_id, *args, **kwargs):
    """Run one workflow step on fresh copies from the database, and commit it. A save says the
    version a page drawn now shows, unless the test says which one it saw."""
    review = db.session.get(Review, review_id)
    if fn is workflow.save_draft:
        kwargs.setdefault("seen_version", review.version)
    fn(review, db.session.get(User, author_id), *args, **kwargs)
    db.session.commit()


def saved(review_id) -> Review:
    db.session.expire_all()
    return db.session.get(Review, review_id)


def events_of(review_id) -> list[tuple[str, int, int]]:
    rows = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.review_id == review_id).order_by(ReviewEvent.id)
    )
    return [(event.action, event.round, event.actor_id) for event in rows]


def send_back(review_id, member_id, note):
    """A collective member returns the submitted review with a note. The caller commits."""
    review = db.session.get(Review, review_id)
    approvals.return_review(
        review, db.session.get(User, member_id), note, NOW, seen_round=review.round
    )


@pytest.fixture
def draft(in_app, make_book, make_user):
    """draft(body) -> (review id, author, book): a fresh draft, started as the pages start one."""

    def draft(body="", author=None, book=None):
        author = author or make_user()
        book = book or make_book()
        with in_app():
            review = workflow.start_review(
                db.session.get(User, author.id), db.session.get(Book, book.id)
            )
            if body:
                workflow.save_draft(
                    review,
                    db.session.get(User, author.id),
                    body,
                    max_length=MAX,
                    seen_version=review.version,
                )
            db.session.commit()
            return review.id, author, book

    return draft


@pytest.fixture
def returned(in_app, draft, make_user):
    """A review sent once and returned by a collective member with a note."""

    def returned(note="Please say more about the second half."):
        review_id, author, book = draft(GOOD_TEXT)
        member = make_user(role="collective")
        with in_app():
            step(workflow.submit_review, review_id, author.id, NOW, MIN, MAX)
            send_back(review_id, member.id, note)
            db.session.commit()
        return review_id, author, book

    return returned


# --- Starting --------------------------------------------------------------------------------


def test_starting_a_review_makes_an_empty_draft(in_app, draft):
    review_id, author, book = draft()

    with in_app():
        review = saved(review_id)
        assert (review.state, review.body, review.round) == (ReviewState.DRAFT, "", 0)
        assert (review.book_id, review.reviewer_id) == (book.id, author.id)
        assert review.published_body is None


def test_a_second_review_of_the_same_book_is_refused_with_the_first_ones_id(in_app, draft):
    review_id, author, book = draft()

    with in_app(), pytest.raises(workflow.AlreadyReviewed) as refused:
        workflow.start_review(db.session.get(User, author.id), db.session.get(Book, book.id))

    assert refused.value.review_id == review_id
    assert "You already have a review of “A Book”" in str(refused.value)


def test_two_people_may_each_review_the_same_book(in_app, draft, make_book):
    book = make_book()
    first, _, _ = draft(book=book)
    second, _, _ = draft(book=book)

    assert first != second


def test_starting_twice_at_once_gives_the_review_that_won(in_app, draft, monkeypatch):
    review_id, author, book = draft()
    # The second request checked before the first one had committed.
    answers = iter([None, review_id])
    monkeypatch.setattr(workflow, "review_id_of", lambda *args: next(answers))

    with in_app(), pytest.raises(workflow.AlreadyReviewed) as refused:
        workflow.start_review(db.session.get(User, author.id), db.session.get(Book, book.id))

    assert refused.value.review_id == review_id


# --- Editing ---------------------------------------------------------------------------------


def test_a_draft_keeps_the_text_with_newlines_as_browsers_count_them(in_app, draft):
    review_id, author, _ = draft()

    with in_app():
        step(
            workflow.save_draft, review_id, author.id, "  One.\r\n\r\nTwo.\x00\r\n ", max_length=MAX
        )
        assert saved(review_id).body == "One.\n\nTwo."


def test_a_draft_may_be_short_but_never_longer_than_the_limit(in_app, draft):
    review_id, author, _ = draft()

    with in_app():
        step(workflow.save_draft, review_id, author.id, "Short.", max_length=MAX)
        with pytest.raises(workflow.TextProblem, match="at most 20 characters; this one has 21"):
            step(workflow.save_draft, review_id, author.id, "x" * 21, max_length=20)
        db.session.rollback()
        assert saved(review_id).body == "Short."


def test_only_the_author_may_change_a_review(in_app, draft, make_user):
    review_id, _, _ = draft("Mine.")
    someone_else = make_user(role="collective")

    with in_app():
        for attempt in (
            lambda r, u: workflow.save_draft(
                r, u, "Theirs.", max_length=MAX, seen_version=r.version
            ),
            lambda r, u: workflow.submit_review(r, u, NOW, 0, MAX),
            lambda r, u: workflow.withdraw_review(r, u, NOW),
        ):
            with pytest.raises(workflow.ReviewError, match="Only the author"):
                step(attempt, review_id, someone_else.id)
        db.session.rollback()
        assert saved(review_id).body == "Mine."


def test_a_review_waiting_for_approval_cannot_be_edited_until_withdrawn(in_app, draft):
    review_id, author, _ = draft(GOOD_TEXT)

    with in_app():
        step(workflow.submit_review, review_id, author.id, NOW, MIN, MAX)
        with pytest.raises(workflow.ReviewError, match="Withdraw it first"):
            step(workflow.save_draft, review_id, author.id, "Changed.", max_length=MAX)
        db.session.rollback()
        step(workflow.withdraw_review, review_id, author.id, NOW)
        step(workflow.save_draft, review_id, author.id, "Changed.", max_length=MAX)

        review = saved(review_id)
        assert (review.state, review.body) == (ReviewState.DRAFT, "Changed.")


def test_saving_over_a_newer_version_is_refused(in_app, draft):
    review_id, author, _ = draft("First.")
    with in_app():
        seen = saved(review_id).version
        step(workflow.save_draft, review_id, author.id, "From another tab.", max_length=MAX)

        with pytest.raises(workflow.ChangedMeanwhile, match="changed meanwhile; reload"):
            step(
                workflow.save_draft,
                review_id,
                author.id,
                "From this tab.",
                max_length=MAX,
                seen_version=seen,
            )


def test_a_change_committed_between_reading_and_writing_is_caught(in_app, draft):
    review_id, author, _ = draft("First.")
    with in_app():
        review = db.session.get(Review, review_id)
        # Another request's change, landing after this one read the review.
        db.session.execute(
            text("UPDATE reviews SET version = version + 1 WHERE id = :id"), {"id": review_id}
        )

        # Caught when the change reaches the database, whether the step sends it or the commit.
        with pytest.raises(StaleDataError):
            workflow.save_draft(
                review,
                db.session.get(User, author.id),
                "Ours.",
                max_length=MAX,
                seen_version=review.version,
            )
            db.session.commit()


def test_editing_a_published_review_starts_a_revision_while_the_public_keeps_the_text(
    in_app, make_book, make_user, publish_review
):
    book, author = make_book(), make_user()
    published_at = NOW - timedelta(days=3)
    original = publish_review(book, author, body="The approved text.", published_at=published_at)

    with in_app():
        step(workflow.save_draft, original.id, author.id, "A better text.", max_length=MAX)

        review = saved(original.id)
        assert (review.state, review.body) == (ReviewState.DRAFT, "A better text.")
        assert (review.published_body, review.published_at) == ("The approved text.", published_at)
        _, public = published.book_with_reviews(book.id)
        assert [r.published_body for r in public] == ["The approved text."]


def test_saving_the_published_text_unchanged_starts_no_revision(
    in_app, make_book, make_user, publish_review
):
    author = make_user()
    original = publish_review(make_book(), author, body="The approved text.")

    with in_app():
        step(workflow.save_draft, original.id, author.id, "The approved text.", max_length=MAX)
        review = saved(original.id)
        assert (review.state, review.version) == (ReviewState.PUBLISHED, original.version)

        step(workflow.save_draft, original.id, author.id, "A revision.", max_length=MAX)
        step(workflow.save_draft, original.id, author.id, "The approved text.", max_length=MAX)
        assert saved(original.id).state == ReviewState.PUBLISHED


def test_a_returned_review_stays_returned_with_its_note_while_it_is_edited(in_app, returned):
    review_id, author, _ = returned(note="Say more.")

    with in_app():
        step(workflow.save_draft, review_id, author.id, GOOD_TEXT + " More.", max_length=MAX)

        review = saved(review_id)
        assert review.state == ReviewState.RETURNED
        assert workflow.collective_note(review) == "Say more."


# --- Submitting ------------------------------------------------------------------------------


def test_submitting_starts_a_round_of_approval_and_records_it(in_app, draft):
    review_id, author, _ = draft(GOOD_TEXT)

    with in_app():
        step(workflow.submit_review, review_id, author.id, NOW, MIN, MAX)

        review = saved(review_id)
        assert (review.state, review.round, review.submitted_at) == (ReviewState.SUBMITTED, 1, NOW)
        assert events_of(review_id) == [(ReviewAction.SUBMITTED, 1, author.id)]


@pytest.mark.parametrize(
    ("length", "message"),
    [
        (99, "needs at least 100 characters before it goes to the collective; this one has 99"),
        (10_001, "can be at most 10000 characters; this one has 10001"),
    ],
)
def test_a_review_too_short_or_too_long_is_not_sent(in_app, draft, length, message):
    review_id, author, _ = draft()
    with in_app():
        # Saved while the store allowed longer reviews: the limit may have been lowered since.
        step(workflow.save_draft, review_id, author.id, "x" * length, max_length=length)

        with pytest.raises(workflow.TextProblem, match=message):
            step(workflow.submit_review, review_id, author.id, NOW, MIN, MAX)
        db.session.rollback()

        assert (saved(review_id).state, events_of(review_id)) == (ReviewState.DRAFT, [])


def test_a_returned_review_is_sent_again_in_a_new_round(in_app, returned):
    review_id, author, _ = returned()

    with in_app():
        step(workflow.save_draft, review_id, author.id, GOOD_TEXT + " Fixed.", max_length=MAX)
        step(workflow.submit_review, review_id, author.id, NOW, MIN, MAX)

        review = saved(review_id)
        assert (review.state, review.round) == (ReviewState.SUBMITTED, 2)
        assert [(action, round_) for action, round_, _ in events_of(review_id)] == [
            (ReviewAction.SUBMITTED, 1),
            (ReviewAction.RETURNED, 1),
            (ReviewAction.SUBMITTED, 2),
        ]


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (ReviewState.SUBMITTED, "already waiting for the collective's approval"),
        (ReviewState.PUBLISHED, "published as it is. Change the text"),
        (ReviewState.WITHDRAWN, "withdrawn. Save it as a draft"),
    ],
)
def test_only_drafts_and_returned_reviews_can_be_sent(in_app, make_user, review_of, state, message):
    author = make_user()
    review_id = review_of(author, state)

    with in_app(), pytest.raises(workflow.ReviewError, match=message):
        step(workflow.submit_review, review_id, author.id, NOW, MIN, MAX)


# --- Withdrawing -----------------------------------------------------------------------------


def test_withdrawing_a_published_review_takes_it_off_the_public_pages(
    in_app, make_book, make_user, publish_review
):
    book, author = make_book(), make_user()
    earlier = NOW - timedelta(days=10)
    publish_review(book, make_user(), body="Another view.", published_at=earlier)
    mine = publish_review(book, author, body="My view.", published_at=NOW - timedelta(days=1))

    with in_app():
        step(workflow.withdraw_review, mine.id, author.id, NOW)

        review = saved(mine.id)
        assert (review.state, review.published_body, review.published_at) == (
            ReviewState.WITHDRAWN,
            None,
            None,
        )
        assert review.body == "My view."  # the author keeps the text
        assert db.session.get(Book, book.id).last_reviewed_at == earlier
        _, public = published.book_with_reviews(book.id)
        assert [r.published_body for r in public] == ["Another view."]
        assert events_of(mine.id)[-1] == (ReviewAction.WITHDRAWN, 1, author.id)


def test_withdrawing_the_only_published_review_leaves_the_book_unreviewed(
    in_app, make_book, make_user, publish_review
):
    book, author = make_book(), make_user()
    mine = publish_review(book, author)

    with in_app():
        step(workflow.withdraw_review, mine.id, author.id, NOW)
        assert db.session.get(Book, book.id).last_reviewed_at is None


def test_withdrawing_a_submitted_review_takes_it_out_of_the_queue(in_app, draft):
    review_id, author, _ = draft(GOOD_TEXT)

    with in_app():
        step(workflow.submit_review, review_id, author.id, NOW, MIN, MAX)
        step(workflow.withdraw_review, review_id, author.id, NOW)

        assert saved(review_id).state == ReviewState.WITHDRAWN
        assert [action for action, _, _ in events_of(review_id)] == [
            ReviewAction.SUBMITTED,
            ReviewAction.WITHDRAWN,
        ]


def test_a_draft_nobody_saw_is_put_aside_without_history_as_often_as_wanted(in_app, draft):
    review_id, author, _ = draft(GOOD_TEXT)

    with in_app():
        step(workflow.submit_review, review_id, author.id, NOW, MIN, MAX)
        step(workflow.withdraw_review, review_id, author.id, NOW)
        for _ in range(2):
            step(workflow.save_draft, review_id, author.id, GOOD_TEXT, max_length=MAX)
            step(workflow.withdraw_review, review_id, author.id, NOW)

        assert saved(review_id).state == ReviewState.WITHDRAWN
        assert len(events_of(review_id)) == 2


def test_a_withdrawn_review_cannot_be_withdrawn_again(in_app, draft):
    review_id, author, _ = draft()

    with in_app():
        step(workflow.withdraw_review, review_id, author.id, NOW)
        with pytest.raises(workflow.ReviewError, match="already withdrawn"):
            step(workflow.withdraw_review, review_id, author.id, NOW)


def test_what_each_state_allows():
    allowed = {
        state: {
            step
            for step in ("edit", "submit", "withdraw")
            if workflow.may(Review(state=state), step)
        }
        for state in ReviewState
    }

    assert allowed == {
        ReviewState.DRAFT: {"edit", "submit", "withdraw"},
        ReviewState.SUBMITTED: {"withdraw"},
        ReviewState.RETURNED: {"edit", "submit", "withdraw"},
        ReviewState.PUBLISHED: {"edit", "withdraw"},
        ReviewState.WITHDRAWN: {"edit"},
    }


# --- What the author's pages show ----------------------------------------------------------


def test_my_reviews_come_grouped_by_state_with_the_latest_note_of_the_collective(
    in_app, draft, returned, make_book, make_user, publish_review
):
    review_id, author, _ = returned(note="First note.")
    member = make_user(role="collective")
    with in_app():
        step(workflow.save_draft, review_id, author.id, GOOD_TEXT + " Fixed.", max_length=MAX)
        step(workflow.submit_review, review_id, author.id, NOW, MIN, MAX)
        send_back(review_id, member.id, "Second note.")
        db.session.commit()
    drafted, _, _ = draft("Notes.", author=author)
    published = publish_review(make_book("Another"), author)
    draft("Someone else's.")

    with in_app():
        mine = workflow.reviews_of(db.session.get(User, author.id))

    assert [r.id for r in mine.by_state[ReviewState.DRAFT]] == [drafted]
    assert [r.id for r in mine.by_state[ReviewState.RETURNED]] == [review_id]
    assert [r.id for r in mine.by_state[ReviewState.PUBLISHED]] == [published.id]
    assert mine.by_state[ReviewState.SUBMITTED] == mine.by_state[ReviewState.WITHDRAWN] == []
    assert mine.notes == {review_id: "Second note."}


def test_the_book_picker_uses_the_catalog_search(in_app, draft, make_book, make_user):
    author = make_user()
    zibechi = make_book("Dispersing Power", authors=["Raúl Zibechi"], isbn13="9781849350112")
    make_book("Emergent Strategy", authors=["adrienne maree brown"])
    mine, _, _ = draft(author=author, book=zibechi)

    with in_app():
        me = db.session.get(User, author.id)
        for typed in ("raul", "978-1-84935-011-2", "dispersing POWER"):
            found = workflow.book_choices(me, queries.CatalogQuery(text=typed), limit=10)
            assert [book.title for book in found.books] == ["Dispersing Power"]
            assert found.my_reviews == {zibechi.id: mine}
        assert workflow.book_choices(me, queries.CatalogQuery(text=""), limit=10).books == []


def test_the_book_picker_shows_a_few_and_says_there_are_more(in_app, make_book, make_user):
    for n in range(4):
        make_book(f"Zine {n}")
    author = make_user()

    with in_app():
        found = workflow.book_choices(
            db.session.get(User, author.id), queries.CatalogQuery(text="zine"), limit=3
        )

    assert [book.title for book in found.books] == ["Zine 0", "Zine 1", "Zine 2"]
    assert found.more
