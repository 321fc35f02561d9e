"""The collective's calendar (firestorm/events/): events added, changed, cancelled and deleted,
each rule refused in words naming its field; times typed at the shop kept in UTC; the lists the
pages read. The pages: test_event_pages.py."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from event_helpers import refusal
from sqlalchemy import select

from firestorm.database import db
from firestorm.events import listings, planning, wording
from firestorm.events.models import Event
from firestorm.events.planning import TypedEvent
from firestorm.shop import hours

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday Nov 24, 2026, 3pm at the shop. The default week: closed on Mondays, 8am–9pm else.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)
THURSDAY = date(2026, 11, 26)
SCHEDULE = hours.Schedule(week=hours.DEFAULT_WEEK, timezone=NEW_YORK)


def reading(**changes) -> TypedEvent:
    typed = {
        "title": "Reading with Raúl Zibechi",
        "day": date(2026, 12, 3),
        "starts": time(19),
        "ends": time(21),
        "description": "Bring *questions*.",
        "price": Decimal("5.00"),
        "capacity": 20,
    }
    return TypedEvent(**(typed | changes))


@pytest.fixture
def shop(app):
    """Inside the app; what a step changed is rolled back afterwards."""
    with app.app_context():
        yield
        db.session.rollback()


def stored_events() -> list[Event]:
    return list(db.session.scalars(select(Event).order_by(Event.id)))


def test_an_event_typed_at_the_shop_is_kept_in_utc_and_said_at_the_shop(shop):
    event = planning.add_event(reading(), SCHEDULE, NOW)
    db.session.commit()

    (kept,) = stored_events()
    # 7pm in New York in December is midnight UTC.
    assert kept.starts_at == datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    assert kept.ends_at == datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert (kept.title, kept.price, kept.capacity, kept.place) == (
        "Reading with Raúl Zibechi",
        Decimal("5.00"),
        20,
        "",
    )
    assert wording.when_in_words(event.starts_at, event.ends_at, NEW_YORK) == (
        "Thursday, Dec 3, 2026, 7pm – 9pm"
    )


def test_an_evening_keeps_its_wall_clock_time_across_the_change_from_summer_time(shop):
    # Oct 29, 2026 is summer time (UTC−4); Nov 5 is not (UTC−5): both at 7pm in the shop.
    early = reading(day=date(2026, 10, 29))
    late = reading(day=date(2026, 11, 5))
    before = datetime(2026, 10, 1, tzinfo=UTC)

    first = planning.add_event(early, SCHEDULE, before)
    second = planning.add_event(late, SCHEDULE, before)

    assert first.starts_at == datetime(2026, 10, 29, 23, 0, tzinfo=UTC)
    assert second.starts_at == datetime(2026, 11, 6, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": "   "}, "title", "Give the event a title."),
        ({"day": None}, "day", "Give the day"),
        ({"starts": None}, "starts", "Give the time it starts"),
        ({"ends": None}, "ends", "Give the time it ends"),
        ({"ends": time(18)}, "ends", "The end is before the start"),
        ({"ends": time(19)}, "ends", "The end is before the start"),
        ({"day": date(2026, 11, 24), "starts": time(14)}, "day", "That is in the past"),
        ({"day": date(2026, 11, 20)}, "day", "That is in the past"),
        ({"day": date(2026, 11, 30)}, "day", "The shop is closed on Mondays (Nov 30, 2026)"),
        ({"capacity": 0}, "capacity", "Give the number of places"),
        ({"place": "x" * 301}, "place", "Keep the address under 300 characters."),
    ],
)
def test_each_rule_is_refused_in_words_beside_its_field(shop, changes, field, words):
    refused_field, message = refusal(lambda: planning.add_event(reading(**changes), SCHEDULE, NOW))

    assert refused_field == field
    assert words in message
    assert stored_events() == []


def test_a_holiday_closure_is_named_and_we_open_for_it_lets_the_event_be(shop):
    thanksgiving = hours.SpecialHours(THURSDAY, THURSDAY, "Thanksgiving")
    closed = hours.Schedule(hours.DEFAULT_WEEK, NEW_YORK, special_hours=(thanksgiving,))

    field, message = refusal(lambda: planning.add_event(reading(day=THURSDAY), closed, NOW))
    assert (field, message) == (
        "day",
        "The shop is closed: Thanksgiving (Nov 26, 2026). Choose another day, "
        "or tick “We open for it”.",
    )

    event = planning.add_event(reading(day=THURSDAY, opens_specially=True), closed, NOW)
    assert event.opens_specially
    assert len(stored_events()) == 1


def test_a_coming_event_changes_but_not_into_the_past(shop):
    event = planning.add_event(reading(), SCHEDULE, NOW)

    planning.change_event(event, reading(title="Book club", starts=time(18)), SCHEDULE, NOW)
    assert (event.title, event.starts_at.astimezone(NEW_YORK).hour) == ("Book club", 18)

    field, _ = refusal(
        lambda: planning.change_event(event, reading(day=date(2026, 11, 1)), SCHEDULE, NOW)
    )
    assert field == "day"


def test_a_started_event_keeps_everything_but_its_description(shop):
    event = planning.add_event(reading(), SCHEDULE, NOW)
    db.session.commit()
    later = datetime(2026, 12, 3, 20, 0, tzinfo=NEW_YORK)

    field, message = refusal(
        lambda: planning.change_event(event, reading(title="Renamed"), SCHEDULE, later)
    )
    assert field == "description"
    assert "only its description" in message

    planning.change_description(event, "  Thanks to all who came.  ", later)
    db.session.commit()
    assert (event.title, event.description) == (
        "Reading with Raúl Zibechi",
        "Thanks to all who came.",
    )


def test_cancelling_keeps_the_event_and_deleting_takes_it_away(shop):
    event = planning.add_event(reading(), SCHEDULE, NOW)
    other = planning.add_event(reading(title="Film night"), SCHEDULE, NOW)

    planning.cancel_event(event, NOW)
    planning.cancel_event(event, NOW + timedelta(hours=1))  # again: the first moment stays
    planning.delete_event(other)
    db.session.commit()

    (kept,) = stored_events()
    assert kept.cancelled_at == NOW
    assert kept.is_cancelled


def test_lists_coming_soonest_first_past_latest_first_and_the_next_three_not_cancelled(shop):
    before = datetime(2026, 10, 1, tzinfo=UTC)
    days = [date(2026, 11, 10), date(2026, 11, 17), date(2026, 12, 8), date(2026, 12, 1)]
    days += [date(2026, 12, 15), date(2026, 12, 22)]
    made = {
        day: planning.add_event(reading(title=str(day), day=day), SCHEDULE, before) for day in days
    }
    planning.cancel_event(made[date(2026, 12, 1)], before)
    db.session.commit()

    def titles(events) -> list[str]:
        return [event.title for event in events]

    assert titles(listings.coming_events(NOW, 1, 10, NEW_YORK).items) == [
        "2026-12-01",
        "2026-12-08",
        "2026-12-15",
        "2026-12-22",
    ]
    assert titles(listings.past_events(NOW, 1, 10, NEW_YORK).items) == ["2026-11-17", "2026-11-10"]
    assert titles(listings.next_events(NOW, 3, NEW_YORK)) == [
        "2026-12-08",
        "2026-12-15",
        "2026-12-22",
    ]
    assert titles(listings.desk_events(NOW, 1, 10).items) == [
        "2026-12-01",
        "2026-12-08",
        "2026-12-15",
        "2026-12-22",
        "2026-11-17",
        "2026-11-10",
    ]
    second_page = listings.desk_events(NOW, 2, 4)
    assert (titles(second_page.items), second_page.page_count) == (
        ["2026-11-17", "2026-11-10"],
        2,
    )


def test_an_event_is_coming_until_it_ends(shop):
    planning.add_event(reading(), SCHEDULE, NOW)
    db.session.commit()
    during = datetime(2026, 12, 3, 20, 0, tzinfo=NEW_YORK)
    after = datetime(2026, 12, 3, 21, 0, tzinfo=NEW_YORK)

    assert len(listings.next_events(during, 3, NEW_YORK)) == 1
    assert listings.next_events(after, 3, NEW_YORK) == []
    assert len(listings.past_events(after, 1, 10, NEW_YORK).items) == 1


def test_places_in_words():
    assert [wording.capacity_in_words(n) for n in (None, 1, 20, 1200)] == [
        "",
        "1 place",
        "20 places",
        "1,200 places",
    ]
