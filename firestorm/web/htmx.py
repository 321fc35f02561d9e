"""How pages answer htmx: the same partial the full page includes, alone, with Vary: HX-Request."""

from flask import make_response, render_template, request
from flask.typing import ResponseReturnValue

# Where errors go on every page (templates/base.html): a message box near the top.
ERROR_BOX = {"HX-Retarget": "#request-error", "HX-Reswap": "outerHTML"}


def is_htmx_request() -> bool:
    # Going Back, htmx asks for the whole page again: that must not get a fragment.
    return (
        request.headers.get("HX-Request") == "true"
        and "HX-History-Restore-Request" not in request.headers
    )


def render_error_box(template: str, status: int, **context) -> ResponseReturnValue:
    """An error for an htmx request, drawn in the page's message box instead of the target."""
    return render_template(template, **context), status, ERROR_BOX


def render_page_or_partial(
    page: str, partial: str, status: int = 200, **context
) -> ResponseReturnValue:
    template = partial if is_htmx_request() else page
    response = make_response(render_template(template, **context), status)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    response.vary.add("HX-Request")
    return response
