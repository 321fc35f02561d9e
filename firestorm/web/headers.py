"""Security headers on every response: pages, fragments, errors and static files alike."""

from flask import Flask, Response, request, session
from werkzeug.wrappers import Response as AnyResponse

from firestorm.web.cover_files import image_origin


def kept_private(response: AnyResponse) -> AnyResponse:
    """A page whose address or content is private (a hold's page, a password reset link): in
    no cache, no search engine, and no Referer sent from it (its images and styles, a link
    followed)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def content_security_policy(cover_origin: str) -> str:
    """Everything comes from our own origin (and covers from their bucket's public address,
    when they have one); no inline scripts or styles, no eval."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data:{' ' + cover_origin if cover_origin else ''}",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ]
    )


# Files the same for everyone (static ones named by their content): cached even when signed in.
SHARED_FILES = frozenset(
    {
        "static",
        "public.cover_file",
        "public.book_share_card",
        "public.store_share_card",
        "public.favicon",
    }
)


def signed_in_session() -> bool:
    # From the session cookie, not by loading the user: no query for a static file, or for an
    # error page whose database may be what failed.
    return "_user_id" in session


def register(app: Flask) -> None:
    policy = content_security_policy(image_origin(app))

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if signed_in_session() and not _a_shared_file(response):
            # A shared cafe computer: after signing out, Back must not show someone's pages.
            response.headers["Cache-Control"] = "no-store"
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _a_shared_file(response: Response) -> bool:
    """A file the same for everyone; not the error page drawn when it is missing, which
    carries the signed-in member's navigation and CSRF token like any of their pages."""
    return request.endpoint in SHARED_FILES and response.status_code < 400
