"""Members changing the hours at the same moment, through HTTP, on the real database (the file
SQLite database, or PostgreSQL with FIRESTORM_TEST_DATABASE_URL): two special_hours never cover
one day, and weekdays set at once on the default week all keep what each member set."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from review_helpers import page_text, post_at_once

from firestorm.database import db
from firestorm.shop.models import OpeningHours, SpecialHoursEntry

ROUNDS = 5
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def members(make_user, clock):
    clock(NOW)
    return [make_user("collective", display_name=f"Member {n}") for n in range(4)]


def test_members_adding_overlapping_closures_at_once_add_one(app, members):
    for round_number in range(ROUNDS):
        first_day = f"2027-01-{10 + round_number * 3:02d}"
        answers = post_at_once(
            app,
            [
                (
                    member,
                    "/collective/hours/special",
                    {"first_day": first_day, "state": "closed", "reason": member.display_name},
                )
                for member in members
            ],
        )

        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [302, 422, 422, 422], round_number
        refused = [page_text(a) for a in answers if a.status_code == 422]
        assert all("These days overlap “Member" in page for page in refused)
    with app.app_context():
        assert (
            db.session.scalar(db.select(db.func.count()).select_from(SpecialHoursEntry)) == ROUNDS
        )


def test_weekdays_set_at_once_on_the_default_week_are_all_kept(app, members):
    answers = post_at_once(
        app,
        [
            (
                member,
                f"/collective/hours/weekdays/{weekday}",
                {"state": "open", "opens": f"{9 + weekday}:00", "closes": "20:00"},
            )
            for weekday, member in enumerate(members)
        ],
    )

    assert [answer.status_code for answer in answers] == [200] * 4
    with app.app_context():
        rows = db.session.scalars(db.select(OpeningHours).order_by(OpeningHours.weekday))
        week = [(row.weekday, row.opens, row.closes) for row in rows]
    assert week == [(day, time(9 + day), time(20)) for day in range(4)] + [
        (day, time(8), time(21)) for day in range(4, 7)
    ]
