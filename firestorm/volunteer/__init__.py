"""A volunteer's own reviews, under /my/: every page here needs a signed-in person, checked
before every request, so no route can forget."""

from flask import Blueprint

from firestorm.web import navigation
from firestorm.web.access import signed_in_first

bp = Blueprint("volunteer", __name__, url_prefix="/my")
bp.before_request(signed_in_first)

navigation.add_link(
    navigation.YOURS, "volunteer.dashboard", "My reviews", 10, current_on=("volunteer",)
)

# Imported for their routes, which they add to bp; after bp exists, since they import it.
from firestorm.volunteer import notice_routes, routes  # noqa: E402, F401
