"""The daily purge (firestorm/holds/purge.py, `flask --app app purge`), on a fake clock: ready
holds nobody collected expire, and a customer's name, email, phone and note are erased
HOLD_RETENTION_DAYS after their hold ended, not a second before; open holds are never erased."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from hold_helpers import hold_now, place_hold
from review_helpers import NOW, page_text, sign_in_client
from sqlalchemy import select

from firestorm.book_lookup.models import BookLookup
from firestorm.database import db
from firestorm.holds import desk
from firestorm.holds.models import HoldState
from firestorm.holds.purge import PurgeResult, purge
from firestorm.outbox import queue
from firestorm.outbox.models import MessageState, OutgoingMessage
from firestorm.people import password_resets
from firestorm.people.models import User

HOLD_DAYS = 7
RETENTION_DAYS = 30


@pytest.fixture
def book(make_book):
    return make_book("Dispersing Power", authors=["Raúl Zibechi"], stock=10)


def taken(app, *steps):
    """Steps at the desk, each (action, hold, *arguments), taken at NOW."""
    with app.app_context():
        for action, hold, *arguments in steps:
            action(hold.id, *arguments, NOW)
        db.session.commit()


def purged_at(app, now) -> PurgeResult:
    with app.app_context():
        result = purge(now, HOLD_DAYS, RETENTION_DAYS)
        db.session.commit()
        return result


def details(app, hold) -> tuple:
    saved = hold_now(app, hold)
    return (
        saved.customer_name,
        saved.customer_email,
        saved.customer_phone,
        saved.note,
        saved.erased_at,
    )


KEPT = (
    "Robin Customer",
    "robin.customer@example.org",
    "828-555-0134",
    "After work, if that's all right.",
    None,
)


def test_details_are_erased_retention_days_after_the_hold_ended_and_not_before(app, book, people):
    collected = place_hold(app, book, NOW - timedelta(days=2))
    cancelled = place_hold(app, book, NOW - timedelta(days=2))
    taken(
        app,
        (desk.mark_ready, collected, people["sam"].id),
        (desk.mark_collected, collected, people["sam"].id),
        (desk.cancel_hold, cancelled, people["sam"].id, "Called to cancel", "new"),
    )
    exactly_then = NOW + timedelta(days=RETENTION_DAYS)

    assert purged_at(app, exactly_then) == PurgeResult(expired=0, erased=0)
    assert details(app, collected) == details(app, cancelled) == KEPT

    a_second_later = exactly_then + timedelta(seconds=1)
    assert purged_at(app, a_second_later) == PurgeResult(expired=0, erased=2)
    for hold in (collected, cancelled):
        assert details(app, hold) == ("", "", "", "", a_second_later)
    # The shop's own record stays: the reference, the state, the dates, the reason.
    saved = hold_now(app, cancelled)
    assert (saved.reference, saved.state, saved.ended_at, saved.cancel_reason) == (
        cancelled.reference,
        HoldState.CANCELLED,
        NOW,
        "Called to cancel",
    )

    # A second run finds nothing more to do, and keeps the first erasure's date.
    assert purged_at(app, a_second_later + timedelta(days=1)) == PurgeResult(0, 0)
    assert hold_now(app, collected).erased_at == a_second_later


def test_open_holds_are_never_erased_however_old(app, book, people):
    new = place_hold(app, book, NOW - timedelta(days=400))
    ready = place_hold(app, book, NOW - timedelta(days=400))
    with app.app_context():
        desk.mark_ready(ready.id, people["sam"].id, NOW - timedelta(days=1))
        db.session.commit()

    assert purged_at(app, NOW + timedelta(days=5)) == PurgeResult(expired=0, erased=0)

    assert details(app, new) == details(app, ready) == KEPT
    assert hold_now(app, ready).state == HoldState.READY


def test_the_same_run_expires_overdue_holds_which_are_erased_in_their_turn(app, book, people):
    overdue = place_hold(app, book, NOW)
    taken(app, (desk.mark_ready, overdue, people["sam"].id))
    expiry = NOW + timedelta(days=HOLD_DAYS, hours=1)

    assert purged_at(app, expiry) == PurgeResult(expired=1, erased=0)
    saved = hold_now(app, overdue)
    assert (saved.state, saved.ended_at) == (HoldState.EXPIRED, expiry)
    assert details(app, overdue) == KEPT

    later = expiry + timedelta(days=RETENTION_DAYS, minutes=1)
    assert purged_at(app, later) == PurgeResult(expired=0, erased=1)
    assert details(app, overdue) == ("", "", "", "", later)


def test_the_desk_says_the_details_were_erased(app, client, book, people, clock):
    hold = place_hold(app, book, NOW)
    taken(app, (desk.cancel_hold, hold, people["sam"].id, "Called", "new"))
    purged_at(app, NOW + timedelta(days=RETENTION_DAYS + 1))
    clock(NOW + timedelta(days=RETENTION_DAYS + 1))
    sign_in_client(client, people["sam"])

    page = page_text(client.get("/collective/holds?state=cancelled"))

    assert hold.reference in page
    assert (
        "The customer's details were erased on Dec 25, 2026, 30 days after the hold ended." in page
    )
    assert "Robin Customer" not in page and "828-555-0134" not in page


# --- The command -------------------------------------------------------------------------------


def test_the_command_prints_what_it_did(app, runner, book, people, caplog, clock):
    # The command reads the site's clock, as pages do: the holds are arranged around it.
    now = datetime(2031, 6, 10, 9, 0, tzinfo=UTC)
    clock(now)
    overdue = place_hold(app, book, now - timedelta(days=HOLD_DAYS + 2))
    old = place_hold(app, book, now - timedelta(days=60))
    with app.app_context():
        desk.mark_ready(overdue.id, people["sam"].id, now - timedelta(days=HOLD_DAYS + 1))
        desk.cancel_hold(old.id, people["sam"].id, "Called", "new", now - timedelta(days=45))
        db.session.commit()

    result = runner.invoke(args=["purge"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "1 hold expired (ready, not collected within 7 days).\n"
        "1 hold erased (customer's details, 30 days after the hold ended).\n"
        "0 emails erased (sent or given up on over 30 days ago).\n"
        "0 reset links erased (expired over 30 days ago).\n"
        "0 event sign-ups erased (name, email and phone, 30 days after the event).\n"
        "0 book lookups forgotten (Open Library's answers, asked again when next needed).\n"
    )
    assert hold_now(app, overdue).state == HoldState.EXPIRED
    assert details(app, old)[:4] == ("", "", "", "")
    assert "Robin" not in caplog.text and "828-555-0134" not in caplog.text

    again = runner.invoke(args=["purge"])

    assert again.output == (
        "0 holds expired (ready, not collected within 7 days).\n"
        "0 holds erased (customer's details, 30 days after the hold ended).\n"
        "0 emails erased (sent or given up on over 30 days ago).\n"
        "0 reset links erased (expired over 30 days ago).\n"
        "0 event sign-ups erased (name, email and phone, 30 days after the event).\n"
        "0 book lookups forgotten (Open Library's answers, asked again when next needed).\n"
    )


def test_reset_links_expired_past_the_retention_are_erased(app, runner, clock, make_user):
    now = datetime(2031, 6, 10, 9, 0, tzinfo=UTC)
    clock(now)
    person = make_user(role="volunteer")
    with app.app_context():
        user = db.session.get(User, person.id)
        old = password_resets.create_reset(user, now - timedelta(days=RETENTION_DAYS, hours=2))
        recent = password_resets.create_reset(user, now - timedelta(days=RETENTION_DAYS - 1))
        db.session.commit()

    result = runner.invoke(args=["purge"])

    assert "1 reset link erased (expired over 30 days ago)." in result.output
    with app.app_context():
        with pytest.raises(password_resets.UnusableReset) as unknown:
            password_resets.find_reset(old, now)
        assert unknown.value.problem == password_resets.LinkProblem.UNKNOWN
        with pytest.raises(password_resets.UnusableReset) as expired:
            password_resets.find_reset(recent, now)
        assert expired.value.problem == password_resets.LinkProblem.EXPIRED


def test_book_lookups_past_their_time_are_forgotten(app, runner, clock):
    now = datetime(2031, 6, 10, 9, 0, tzinfo=UTC)
    clock(now)
    with app.app_context():
        for isbn13, days_ago in (("9781849350112", 31), ("9780000000002", 29)):
            db.session.add(
                BookLookup(
                    isbn13=isbn13,
                    outcome="found",
                    facts='{"title": "Zine"}',
                    looked_up_at=now - timedelta(days=days_ago),
                )
            )
        db.session.commit()

    result = runner.invoke(args=["purge"])

    assert "1 book lookup forgotten" in result.output
    with app.app_context():
        assert list(db.session.scalars(select(BookLookup.isbn13))) == ["9780000000002"]


# --- The outbox's messages ------------------------------------------------------------------


def message_ended(app, state: MessageState, ended: datetime) -> int:
    """A message to a customer, sent or given up on at `ended`, or still waiting since then."""
    with app.app_context():
        message = queue.enqueue(
            {"MAIL_SERVER": "mail.example.org"},
            "robin.customer@example.org",
            "Your hold",
            "Hello Robin",
            "a test message",
            ended,
        )
        message.state = state
        if state == MessageState.SENT:
            message.sent_at = ended
        elif state == MessageState.FAILED:
            message.failed_at = ended
        db.session.commit()
        return message.id


def test_sent_and_failed_emails_are_erased_after_the_retention_and_waiting_ones_kept(
    app, runner, clock
):
    now = datetime(2031, 6, 10, 9, 0, tzinfo=UTC)
    clock(now)
    just_past = now - timedelta(days=RETENTION_DAYS, seconds=1)
    not_yet = now - timedelta(days=RETENTION_DAYS - 1)
    erased = [
        message_ended(app, MessageState.SENT, just_past),
        message_ended(app, MessageState.FAILED, just_past),
    ]
    kept = [
        message_ended(app, MessageState.SENT, not_yet),
        message_ended(app, MessageState.FAILED, not_yet),
        message_ended(app, MessageState.QUEUED, now - timedelta(days=90)),
    ]

    result = runner.invoke(args=["purge"])

    assert "2 emails erased (sent or given up on over 30 days ago)." in result.output
    with app.app_context():
        left = set(db.session.scalars(select(OutgoingMessage.id)))
    assert left == set(kept)
    assert not left & set(erased)


def test_two_purges_at_once_expire_and_erase_each_hold_once(app, book, people, monkeypatch):
    """The timer on two app servers firing at the same minute: every overdue hold expires once
    and every old one is erased once, whichever run took it, and neither run fails."""
    expire = desk.expire_overdue

    def slow_expiry(*arguments):
        expired = expire(*arguments)
        time.sleep(0.1)  # the run holds its transaction open while the other one starts
        return expired

    monkeypatch.setattr(desk, "expire_overdue", slow_expiry)
    overdue = [place_hold(app, book, NOW) for _ in range(6)]
    taken(app, *[(desk.mark_ready, hold, people["sam"].id) for hold in overdue])
    old = [place_hold(app, book, NOW - timedelta(days=RETENTION_DAYS + 5)) for _ in range(3)]
    taken(app, *[(desk.cancel_hold, hold, people["sam"].id, "Called", "new") for hold in old])
    later = NOW + timedelta(days=RETENTION_DAYS + 1)
    start = threading.Barrier(2)
    results: list[PurgeResult] = []

    def timer_on_one_server():
        start.wait(timeout=10)
        results.append(purged_at(app, later))

    runs = [threading.Thread(target=timer_on_one_server) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)

    assert len(results) == 2
    assert sum(result.expired for result in results) == 6
    assert sum(result.erased for result in results) == 3
    assert {hold_now(app, hold).state for hold in overdue} == {HoldState.EXPIRED}
    assert {details(app, hold)[:4] for hold in old} == {("", "", "", "")}
