"""The public pages: the catalog, book pages, reviews, feeds and opening hours."""

from flask import Blueprint

bp = Blueprint("public", __name__)

# Imported for their routes and template helpers, which they add to bp; after bp exists,
# since they import it.
from firestorm.public import (  # noqa: E402, F401
    about_routes,
    cover_routes,
    hold_routes,
    machine_routes,
    page_head,
    routes,
    shelf_routes,
    structured_data,
    summaries,
)
