"""How pages answer htmx: the same partial the full page includes, alone, with Vary: HX-Request."""

from flask import make_response, render_template, request
from flask.typing import ResponseReturnValue


def is_htmx_request() -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_partial(
    page: str, partial: str, status: int = 200, **context
) -> ResponseReturnValue:
    template = partial if is_htmx_request() else page
    response = make_response(render_template(template, **context), status)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    response.vary.add("HX-Request")
    return response
