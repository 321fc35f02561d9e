"""The collective's pages, under /collective/: one module per task, on one blueprint. Only
collective members open them: checked before every request, so no route can forget."""

from flask import Blueprint

from firestorm.web.access import collective_members_only

bp = Blueprint("collective", __name__, url_prefix="/collective")
bp.before_request(collective_members_only)

# Imported for their routes, which they add to bp; after bp exists, since they import it.
from firestorm.collective import (  # noqa: E402, F401
    book_routes,
    csv_history_routes,
    csv_routes,
    hold_routes,
    hours_routes,
    invitation_routes,
    people_routes,
    queue_routes,
    shelf_routes,
    shelf_talker_routes,
    stock_routes,
)
