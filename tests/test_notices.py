"""Notices to authors, called directly: made by each decision, never for one's own steps, the
newest replacing unread ones about the same review, read only by their owner."""

from datetime import timedelta

import pytest
from review_helpers import NOW, TEXT

from firestorm.database import db
from firestorm.notices import inbox
from firestorm.notices.models import Notice, NoticeKind
from firestorm.people.models import User
from firestorm.reviews import approvals
from firestorm.reviews.models import Review


@pytest.fixture
def decide(app, people):
    """decide(who, step, review_id, *args): one decision in its own transaction, as a request."""

    def decide(who, step, review_id, *args, **kwargs):
        with app.app_context():
            review = db.session.get(Review, review_id)
            outcome = step(review, db.session.get(User, people[who].id), *args, **kwargs)
            db.session.commit()
            return outcome

    return decide


@pytest.fixture
def unread(app):
    """unread(person) -> [(kind, words, note)] of the person's unread notices, newest first."""

    def unread(person):
        with app.app_context():
            return [
                (found.notice.kind, found.words, found.note)
                for found in inbox.unread_notices(db.session.get(User, person.id))
            ]

    return unread


def approve(review, member, now=NOW, required=1):
    return approvals.approve_review(
        review, member, now, approvals_required=required, seen_round=review.round
    )


def give_back(review, member, note, now=NOW):
    approvals.return_review(review, member, note, now, seen_round=review.round)


def test_a_published_review_tells_its_author_once(people, submit, decide, unread):
    review_id = submit(people["robin"], title="Dispersing Power")

    decide("sam", approve, review_id)

    assert unread(people["robin"]) == [
        (
            NoticeKind.PUBLISHED,
            "Your review of “Dispersing Power” is published: everyone can read it now.",
            "",
        )
    ]
    assert unread(people["sam"]) == []


def test_a_return_tells_the_author_with_the_members_note(people, submit, decide, unread):
    review_id = submit(people["robin"], title="Dispersing Power")

    decide("sam", give_back, review_id, "Say who it is for.\n\nAnd shorten the start.")

    assert unread(people["robin"]) == [
        (
            NoticeKind.RETURNED,
            "The collective returned your review of “Dispersing Power” with a note.",
            "Say who it is for.\n\nAnd shorten the start.",
        )
    ]


def test_each_return_notice_shows_the_note_of_its_own_return(app, people, submit, decide, unread):
    review_id = submit(people["robin"])
    decide("sam", give_back, review_id, "First note.")
    with app.app_context():
        first = db.session.scalar(db.select(Notice))
        inbox.mark_read(db.session.get(User, people["robin"].id), first.id, NOW)
        db.session.commit()
    submit(people["robin"], review_id=review_id, at=NOW + timedelta(hours=1))

    decide("mara", give_back, review_id, "Second note.", NOW + timedelta(hours=2))

    assert [note for _, _, note in unread(people["robin"])] == ["Second note."]


def test_an_approval_that_does_not_publish_says_more_are_needed(people, submit, decide, unread):
    review_id = submit(people["robin"], title="Dispersing Power")

    decide("sam", approve, review_id, NOW, 2)

    assert unread(people["robin"]) == [
        (
            NoticeKind.APPROVED,
            "A collective member approved your review of “Dispersing Power”. "
            "It waits for more approvals before it's published.",
            "",
        )
    ]


def test_the_newest_notice_replaces_unread_ones_about_the_same_review(
    people, submit, decide, unread
):
    review_id = submit(people["robin"])
    other_id = submit(people["robin"], title="Another Book")
    decide("sam", approve, other_id)
    decide("sam", approve, review_id, NOW, 2)

    decide("mara", approve, review_id, NOW + timedelta(minutes=5), 2)

    kinds = [kind for kind, _, _ in unread(people["robin"])]
    assert kinds == [NoticeKind.PUBLISHED, NoticeKind.PUBLISHED]


def test_nobody_is_told_about_their_own_step(app, people, submit, unread):
    review_id = submit(people["sam"])
    with app.app_context():
        review = db.session.get(Review, review_id)
        sam = db.session.get(User, people["sam"].id)

        assert inbox.tell_author(review, sam, NoticeKind.PUBLISHED, NOW) is None
        db.session.commit()

    assert unread(people["sam"]) == []


def test_a_refused_decision_leaves_no_notice(app, people, submit, decide, unread):
    review_id = submit(people["robin"])

    with pytest.raises(approvals.NoteProblem):
        decide("sam", give_back, review_id, "   ")

    assert unread(people["robin"]) == []


def test_a_notice_can_be_marked_read_by_its_owner_only(app, people, submit, decide, unread):
    decide("sam", approve, submit(people["robin"]))
    with app.app_context():
        notice_id = db.session.scalar(db.select(Notice.id))
        with pytest.raises(inbox.NoticeNotFound):
            inbox.mark_read(db.session.get(User, people["mara"].id), notice_id, NOW)
        db.session.commit()
    assert len(unread(people["robin"])) == 1

    with app.app_context():
        robin = db.session.get(User, people["robin"].id)
        inbox.mark_read(robin, notice_id, NOW)
        inbox.mark_read(robin, notice_id, NOW + timedelta(hours=1))  # again: no harm
        db.session.commit()
        assert db.session.get(Notice, notice_id).read_at == NOW

    assert unread(people["robin"]) == []


def test_marking_all_read_touches_only_the_persons_own(
    app, people, make_user, submit, decide, unread
):
    jess = make_user("volunteer", display_name="Jess")
    decide("sam", approve, submit(people["robin"]))
    decide("sam", give_back, submit(people["robin"]), "Shorter, please.")
    decide("sam", approve, submit(jess))

    with app.app_context():
        inbox.mark_all_read(db.session.get(User, people["robin"].id), NOW)
        db.session.commit()

    assert unread(people["robin"]) == []
    assert len(unread(jess)) == 1


def test_a_letter_waits_for_the_commit_and_holds_no_review_text(app, people, submit):
    review_id = submit(people["robin"], title="Dispersing Power", body=TEXT)
    with app.app_context():
        review = db.session.get(Review, review_id)
        give_back(review, db.session.get(User, people["sam"].id), "Say who it is for.")

        [letter] = inbox.take_letters(db.session)
        db.session.rollback()

    text = letter.text("https://books.example.org/my/reviews/1/edit", "Firestorm Cafe & Books")
    assert letter.subject == "Your review of “Dispersing Power” came back with a note"
    assert "> Say who it is for." in text
    assert "https://books.example.org/my/reviews/1/edit" in text
    assert "councils" not in text


def test_a_deactivated_author_keeps_notices_but_gets_no_letter(app, people, submit, unread):
    review_id = submit(people["robin"])
    with app.app_context():
        db.session.get(User, people["robin"].id).is_active = False
        db.session.commit()
        approve(db.session.get(Review, review_id), db.session.get(User, people["sam"].id))

        assert inbox.take_letters(db.session) == []
        db.session.commit()

    assert len(unread(people["robin"])) == 1


def test_the_dashboard_reads_notices_in_one_query(app, people, submit, decide, count_queries):
    decide("sam", approve, submit(people["robin"]))
    decide("sam", give_back, submit(people["robin"]), "One note.")
    decide("sam", give_back, submit(people["robin"]), "Another note.")

    with app.app_context():
        robin = db.session.get(User, people["robin"].id)
        with count_queries() as queries:
            found = inbox.unread_notices(robin)
            [item.words for item in found]

    assert len(found) == 3 and len(queries) == 1
