"""How pages answer htmx 4: the same partial the full page includes, alone, for a partial
request; after a step that worked, a redirect for a plain post and the part of the page that
changed for htmx; and `Vary: HX-Request-Type` on every response that looked at the difference.

Route modules answer through these helpers and never ask `is_htmx_request()` themselves: one
place decides, and nothing can forget the Vary header."""

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, flash, g, make_response, redirect, render_template, request
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


def render_error_box(template: str, status: int, **context: Any) -> ResponseReturnValue:
    """An error for an htmx request, drawn in the page's message box instead of the target."""
    return render_template(template, **context), status, ERROR_BOX


def page_or_partial(
    page: Callable[[], ResponseReturnValue], partial: Callable[[], ResponseReturnValue]
) -> ResponseReturnValue:
    """`partial()` for htmx's partial requests, `page()` for everyone else: only the answer
    sent is drawn (a whole page may need queries its partial does not)."""
    return partial() if is_htmx_request() else page()


def render_page_or_partial(
    page: str, partial: str, status: int = 200, **context: Any
) -> ResponseReturnValue:
    """page_or_partial for the usual case: the page includes the partial, drawn from the
    same things."""
    template = partial if is_htmx_request() else page
    return make_response(render_template(template, **context), status)


def redirect_or_partial(
    to: str, partial: Callable[[], ResponseReturnValue], said: str = ""
) -> ResponseReturnValue:
    """The answer to a step that worked. A plain post is redirected `to` the page to see it
    on (POST/redirect/GET), with `said` as a flash message there when given; htmx gets
    `partial()`, the part of this page that changed, drawn only then."""
    if is_htmx_request():
        return partial()
    if said:
        flash(said, "success")
    return redirect(to)


def add_vary(response: Response) -> Response:
    # The same URL answers with a page or a fragment: caches must keep them apart.
    if g.get("varies_by_request_type"):
        response.vary.add(REQUEST_TYPE)
    return response


def register(app: Flask) -> None:
    app.after_request(add_vary)
