"""A volunteer's own reviews, under /my/: every page here needs a signed-in person."""

from flask import Blueprint

from firestorm.web import navigation

bp = Blueprint("volunteer", __name__, url_prefix="/my")

navigation.add_link(
    navigation.YOURS, "volunteer.dashboard", "My reviews", 10, current_on=("volunteer",)
)

# Imported for their routes, which they add to bp; after bp exists, since they import it.
from firestorm.volunteer import notice_mail, notice_routes, routes  # noqa: E402, F401
