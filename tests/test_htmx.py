"""How pages answer htmx (firestorm/web/htmx.py): one place decides between the page and its
partial, or the redirect and the partial after a step, and says so in Vary. What each page
answers: its own tests."""

import re
from pathlib import Path

from review_helpers import HTMX, page_text

FIRESTORM = Path(__file__).resolve().parent.parent / "firestorm"
BLUEPRINTS = ("public", "auth", "volunteer", "collective")


def test_route_modules_answer_through_the_helpers_never_asking_htmx_themselves():
    """A hand-written branch can forget the partial, the redirect or the Vary header; the
    helpers (render_page_or_partial, page_or_partial, redirect_or_partial) cannot."""
    offenders = [
        f"{path.relative_to(FIRESTORM)}:{number}"
        for blueprint in BLUEPRINTS
        for path in sorted((FIRESTORM / blueprint).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\bis_htmx_request\(", line)
    ]

    assert offenders == []


def test_the_redirect_and_the_partial_of_one_address_both_vary_with_the_request_type(
    client, login_as
):
    login_as("collective")
    weekday_row = "/collective/hours/weekdays/2"

    plain = client.get(weekday_row)
    partial = client.get(weekday_row, headers=HTMX)

    assert plain.status_code == 302
    assert plain.headers["Location"] == "/collective/hours#weekday-2"
    assert partial.status_code == 200
    assert page_text(partial).lstrip().startswith('<tr id="weekday-2"')
    assert "HX-Request-Type" in plain.vary and "HX-Request-Type" in partial.vary
