"""The public pages: the catalog, book pages, reviews, feeds and opening hours."""

from flask import Blueprint

from firestorm.web import navigation

bp = Blueprint("public", __name__)

# Everyone's pages, in the header and in the sitemap (public/sitemap.py).
navigation.add_link(navigation.MAIN, "public.home", "Home", 10)
navigation.add_link(navigation.MAIN, "public.catalog_page", "Books", 20)
navigation.add_link(navigation.MAIN, "public.shelves_page", "Shelves", 30)
navigation.add_link(navigation.MAIN, "public.reviews_page", "Reviews", 40)
navigation.add_link(
    navigation.MAIN,
    "public.events_page",
    "Events",
    45,
    current_on=(
        "public.past_events_page",
        "public.event_page",
        "public.sign_up_form",
        "public.sign_up",
    ),
)
navigation.add_link(navigation.MAIN, "public.hours_page", "Hours", 50)
navigation.add_link(navigation.MAIN, "public.about_page", "About", 60)

# Imported for their routes and template helpers, which they add to bp; after bp exists,
# since they import it.
from firestorm.public import (  # noqa: E402, F401
    about_routes,
    cover_routes,
    event_routes,
    hold_page_routes,
    hold_routes,
    machine_routes,
    order_routes,
    page_head,
    routes,
    share_card_routes,
    shelf_routes,
    sign_up_routes,
    structured_data,
    summaries,
)
