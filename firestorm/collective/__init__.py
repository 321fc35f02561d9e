"""The collective's pages, under /collective/: one module per task, on one blueprint. Only
collective members open them: checked before every request, so no route can forget."""

from typing import Unpack

from flask import Blueprint

from firestorm.web import navigation
from firestorm.web.access import collective_members_only

bp = Blueprint("collective", __name__, url_prefix="/collective")
bp.before_request(collective_members_only)


def _desk(
    endpoint: str, label: str, weight: int, **details: Unpack[navigation.LinkPlacing]
) -> None:
    """A desk of the collective's in "Your pages", for members alone."""
    navigation.add_link(navigation.YOURS, endpoint, label, weight, collective_only=True, **details)


_desk("collective.queue", "Approval queue", 20, count="_partials/queue_count.html")
_desk(
    "collective.holds",
    "Holds",
    30,
    current_on=("collective.hold", "collective.attach_book_form", "collective.attach_book"),
    count="_partials/holds_count.html",
)
_desk("collective.books", "Catalog desk", 40)
_desk("collective.receive", "Receive a delivery", 45, current_on=("collective.delivery",))
_desk("collective.shelves", "Shelves", 50)
_desk("collective.hours", "Hours", 60)
_desk(
    "collective.events",
    "Events",
    65,
    current_on=(
        "collective.new_event",
        "collective.event",
        "collective.confirm_cancel_event",
        "collective.confirm_delete_event",
        "collective.event_sign_ups",
        "collective.sign_up_message_form",
        "collective.message_sign_ups",
    ),
)
_desk("collective.people", "People", 70)

# Imported for their routes, which they add to bp; after bp exists, since they import it.
from firestorm.collective import (  # noqa: E402, F401
    book_routes,
    csv_history_routes,
    csv_routes,
    event_routes,
    hold_routes,
    hours_routes,
    invitation_routes,
    outbox_routes,
    people_routes,
    queue_routes,
    receive_routes,
    shelf_routes,
    shelf_talker_routes,
    sign_up_routes,
    special_order_routes,
    stock_routes,
)
