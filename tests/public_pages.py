"""The public pages every visitor can reach, for tests that go over all of them (caching, the
site's address), and the site's address itself: shared by the test modules (not a test module
itself)."""

from datetime import datetime
from zoneinfo import ZoneInfo

# The site's address in the tests' settings (SITE_URL): not the test client's host
# (localhost), so every link a test reads proves it comes from the setting.
SITE_URL = "https://books.example.org"

NEW_YORK = ZoneInfo("America/New_York")
# A Tuesday: the default week opens at 8am and closes at 9pm.
TUESDAY_AFTERNOON = datetime(2026, 11, 24, 15, 0, tzinfo=NEW_YORK)


def public_paths(shop) -> list[str]:
    """Every kind of public page, for the shop the public_shop fixture makes."""
    return [
        "/",
        "/books",
        "/books?q=dispersing",
        "/books?q=nothing+like+it",
        "/shelves",
        "/shelves/social-movements",
        f"/books/{shop['book'].id}",
        "/reviews",
        f"/reviewers/{shop['reviewer_id']}",
        "/hours",
        "/events",
        "/events/past",
        "/about",
        "/feed.atom",
        "/new-arrivals.atom",
        "/events.atom",
        "/events.ics",
        "/sitemap.xml",
        "/robots.txt",
    ]
