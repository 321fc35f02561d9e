"""The shelves as the public browses them: /shelves, and each shelf's books at /shelves/<slug>."""

from dataclasses import replace
from urllib.parse import urlencode

from flask import abort, current_app, redirect, render_template, request, url_for

from firestorm.catalog import search, shelves
from firestorm.holds import availability
from firestorm.public import bp
from firestorm.web.caching import public_page
from firestorm.web.htmx import render_page_or_partial


@bp.get("/shelves")
@public_page
def shelves_page():
    return render_template("public/shelves.html", counts=shelves.shelves_with_counts())


@bp.get("/shelves/<slug>")
@public_page
def shelf_page(slug: str):
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
    query = search.CatalogQuery.from_args(request.args, current_app.config["SEARCH_MAX_LENGTH"])
    query = replace(query, text="", shelf=shelf.slug)
    results = search.search_books(query, current_app.config["BOOKS_PER_PAGE"])
    return render_page_or_partial(
        "public/shelf.html",
        "public/_shelf_update.html",
        query=query,
        results=results,
        copies_by_book=availability.availability_by_book(results.items),
        sorts=search.SORTS,
        shelf=shelf,
        # Page links stay on this shelf's address rather than the catalog's.
        pages_endpoint="public.shelf_page",
        pages_args=dict(query.url_args(shelf=""), slug=shelf.slug),
    )
