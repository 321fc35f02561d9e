"""A volunteer's own reviews, under /my/: every page here needs a signed-in person."""

from flask import Blueprint

bp = Blueprint("volunteer", __name__, url_prefix="/my")

# Imported for their routes, which they add to bp; after bp exists, since they import it.
from firestorm.volunteer import notice_mail, notice_routes, routes  # noqa: E402, F401
