"""How pages write dates and times: in the store's zone, in the shop's words."""

from datetime import UTC, date, datetime

import pytest

from firestorm.web.templating import date_and_time, email_address, long_date


@pytest.fixture(autouse=True)
def in_app(app):
    with app.app_context():
        yield


def test_dates_are_written_as_the_seed_page_writes_them():
    assert long_date(date(2010, 7, 1)) == "Jul 1, 2010"
    assert long_date(None) == ""


def test_a_moment_is_dated_by_the_store_calendar_not_utc():
    # 02:00 UTC on Nov 25 is still the evening of Nov 24 in Asheville.
    assert long_date(datetime(2026, 11, 25, 2, 0, tzinfo=UTC)) == "Nov 24, 2026"


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (datetime(2026, 11, 24, 20, 42, tzinfo=UTC), "Nov 24, 2026, 3:42pm"),  # EST, UTC-5
        (datetime(2026, 7, 4, 16, 0, tzinfo=UTC), "Jul 4, 2026, 12pm"),  # EDT, UTC-4
    ],
)
def test_history_times_are_store_local_on_both_sides_of_daylight_saving(moment, written):
    assert date_and_time(moment) == written


@pytest.mark.parametrize(
    ("address", "drawn"),
    [
        (
            "robin.long-name@some.example.org",
            "robin<wbr>.long-name@<wbr>some<wbr>.example<wbr>.org",
        ),
        ('<b onclick="x">@evil.example', "&lt;b onclick=&#34;x&#34;&gt;@<wbr>evil<wbr>.example"),
        ("no-at.here", "no-at<wbr>.here"),
    ],
)
def test_an_email_address_may_wrap_after_its_at_and_before_its_dots_and_nowhere_else(
    address, drawn
):
    assert str(email_address(address)) == drawn
