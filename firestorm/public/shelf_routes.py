"""The shelves as the public browses them: /shelves, and each shelf's books at /shelves/<slug>."""

from dataclasses import replace
from urllib.parse import urlencode

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from firestorm.catalog import shelves
from firestorm.public import bp
from firestorm.public.routes import books_found
from firestorm.search import queries
from firestorm.web.caching import public_page


@bp.get("/shelves")
@public_page
def shelves_page() -> ResponseReturnValue:
    return render_template("public/shelves.html", counts=shelves.shelves_with_counts())


@bp.get("/shelves/<slug>")
@public_page
def shelf_page(slug: str) -> ResponseReturnValue:
    found = shelves.find_shelf(slug)
    if found is None:
        abort(404)
    if found.moved:
        # Renamed: saved links and search engines move to the new address for good. The query
        # string is carried as it came, never read as url_for's arguments (?_external=…).
        new_address = url_for(".shelf_page", slug=found.shelf.slug)
        if request.args:
            new_address += "?" + urlencode(list(request.args.items(multi=True)))
        return redirect(new_address, 301)
    shelf = found.shelf
    query = queries.CatalogQuery.from_args(request.args, current_app.config["SEARCH_MAX_LENGTH"])
    query = replace(query, text="", shelf=shelf.slug)
    return books_found(
        "public/shelf.html",
        "public/_shelf_update.html",
        query,
        queries.SORTS,
        shelf=shelf,
        # Page links stay on this shelf's address rather than the catalog's.
        pages_endpoint="public.shelf_page",
        pages_args=dict(query.url_args(shelf=""), slug=shelf.slug),
    )
