"""How pages answer htmx 4: the same partial the full page includes, alone, for a partial
request; and `Vary: HX-Request-Type` on every response that looked at the difference."""

from flask import Flask, Response, g, make_response, render_template, request
from flask.typing import ResponseReturnValue

# Where errors go on every page (templates/base.html): a message box near the top.
ERROR_BOX = {"HX-Retarget": "#request-error", "HX-Reswap": "outerHTML"}
# htmx 4 says which answer it wants: "partial" to swap into part of the page, "full" for a
# whole page (a history restore after Back, a swap into <body>).
REQUEST_TYPE = "HX-Request-Type"


def is_htmx_request() -> bool:
    """True when htmx asks for a fragment; the answer then varies with this header."""
    g.varies_by_request_type = True
    return request.headers.get(REQUEST_TYPE) == "partial"


def render_error_box(template: str, status: int, **context) -> ResponseReturnValue:
    """An error for an htmx request, drawn in the page's message box instead of the target."""
    return render_template(template, **context), status, ERROR_BOX


def render_page_or_partial(
    page: str, partial: str, status: int = 200, **context
) -> ResponseReturnValue:
    template = partial if is_htmx_request() else page
    return make_response(render_template(template, **context), status)


def add_vary(response: Response) -> Response:
    # The same URL answers with a page or a fragment: caches must keep them apart.
    if g.get("varies_by_request_type"):
        response.vary.add(REQUEST_TYPE)
    return response


def register(app: Flask) -> None:
    app.after_request(add_vary)
