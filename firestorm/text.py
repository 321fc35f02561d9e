"""Review text: Markdown rendered to HTML, then sanitized, exactly as the public will see it."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# CommonMark with raw HTML turned off: what people type as HTML shows up as text.
_markdown = MarkdownIt("commonmark", {"html": False})

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "hr",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_review(markdown_text: str) -> Markup:
    """Safe HTML for a review: no scripts, no event handlers, no javascript: links."""
    html = _markdown.render(markdown_text)
    # Sanitize after rendering, because Markdown itself can produce links to any scheme.
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc",
    )
    return Markup(clean)
