"""The public pages: the catalog, book pages, reviews, feeds and opening hours."""

from flask import Blueprint

bp = Blueprint("public", __name__)

# Imported for their routes, which they add to bp; after bp exists, since they import it.
from firestorm.public import about_routes, cover_routes, routes, shelf_routes  # noqa: E402, F401
