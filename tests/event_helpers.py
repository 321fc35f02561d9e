"""What the events' tests share: the shop's zone and the tests' clock, an event added as the
desk adds it, and a step's refusal read in words."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from firestorm.database import db
from firestorm.events import planning
from firestorm.events.planning import EventProblem
from firestorm.shop.schedule import load_schedule

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday Nov 24, 2026, 3pm at the shop (closed on Mondays, 8am–9pm else, as by default).
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)


def add_event(
    app,
    title: str = "Film night",
    day: date = date(2026, 12, 10),
    made_at: datetime = NOW,
    starts: time = time(19),
    ends: time = time(21),
    **typed,
) -> int:
    """An event added as the desk adds it (planning.add_event, the shop's hours then), its id."""
    with app.app_context():
        event = planning.add_event(
            planning.TypedEvent(title, day, starts, ends, **typed),
            load_schedule(made_at.date(), NEW_YORK),
            made_at,
        )
        db.session.commit()
        return event.id


def refusal(step) -> tuple[str | None, str]:
    """(field, message) of the step's refusal; nothing of it is kept."""
    with pytest.raises(EventProblem) as refused:
        step()
    db.session.rollback()
    return refused.value.field, str(refused.value)
