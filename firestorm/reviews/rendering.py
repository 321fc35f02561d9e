"""Review text: Markdown rendered to HTML, then sanitized, exactly as the public will see it."""

import functools
import html
import re
from collections import Counter
from difflib import SequenceMatcher

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

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


@functools.lru_cache(maxsize=256)
def _rendered(markdown_text: str) -> str:
    """The text as HTML, not yet sanitized. Kept for the last few texts: a book's page
    reads its description three times (the page, its summary and its JSON-LD), and the
    text alone decides the HTML, so a kept one can never be out of date."""
    return _markdown.render(markdown_text)


def plain_text(markdown_text: str) -> str:
    """The words of a review without its formatting, for short excerpts."""
    words = nh3.clean(_rendered(markdown_text), tags=set())
    return " ".join(html.unescape(words).split())


def plain_excerpt(markdown_text: str, max_chars: int) -> str:
    """The start of a review's words, at most max_chars long with the "…", cut between words
    (inside one only when a single word is longer than that)."""
    return cut_at_word(plain_text(markdown_text), max_chars)


def cut_at_word(words: str, max_chars: int) -> str:
    """Plain words (from plain_text) cut as plain_excerpt cuts them; not read as Markdown
    again, so a "*" the text shows stays."""
    if len(words) <= max_chars:
        return words
    head = words[: max_chars - 1]
    inside_a_word = head[-1:].isalnum() and words[len(head)].isalnum()
    if inside_a_word and " " in head:
        head = head.rsplit(" ", 1)[0]
    # No dangling comma or dash before the ellipsis: "a long, slow…", not "a long, slow,…".
    return head.rstrip(" ,;:—–-") + "…"


def render_markdown(markdown_text: str) -> Markup:
    """Safe HTML for a review or a book's description: no scripts, no event handlers, no
    javascript: links."""
    html = _rendered(markdown_text)
    # Sanitize after rendering, because Markdown itself can produce links to any scheme.
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc",
    )
    # Safe to mark: nh3 has just removed every tag, attribute and scheme not allowed above.
    return Markup(clean)  # nosec B704


# A word or a run of punctuation, with the spacing after it: "slow" to "slow," shows an
# added comma, not a changed word. Spacing at the very start is a piece of its own.
_PIECES = re.compile(r"\s+|\w+\s*|[^\w\s]+\s*")
# The comparison costs about the sum, over the words, of how often each occurs in the old
# text times in the new. Prose stays far below this; a text of one word repeated thousands
# of times does not, and is compared without matching its commonest words instead.
_MOST_WORK = 200_000


def text_changes(old: str, new: str) -> Markup:
    """What a revision changes, word by word: removed words in <del>, added ones in <ins>.

    It compares the Markdown as typed rather than the rendered HTML, so a changed emphasis or
    link shows as well. Every piece is escaped: nothing in either text becomes markup.
    """
    old_pieces, new_pieces = _PIECES.findall(old), _PIECES.findall(new)
    old_words, new_words = _words(old_pieces), _words(new_pieces)
    counts = Counter(new_words)
    too_much_work = sum(counts[word] for word in old_words) > _MOST_WORK
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=too_much_work)
    return Markup("").join(
        _marked("".join(old_pieces[i1:i2]), "".join(new_pieces[j1:j2]), tag != "equal")
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def _words(pieces: list[str]) -> list[str]:
    # Compared without their spacing: a word followed by a line break is the same word.
    return [piece.strip() or " " for piece in pieces]


def _marked(old: str, new: str, changed: bool) -> Markup:
    removed, added = old.rstrip(), new.rstrip()
    if not (changed and (removed or added)):
        return escape(new)  # the same words, spaced as the new text has them
    # The spacing after a change goes outside the marks, as it would in a printed proof.
    spacing = new[len(added) :] if new else old[len(removed) :]
    marked = Markup("")
    if removed:
        marked += Markup("<del>{}</del>").format(removed)
    if added:
        marked += Markup("<ins>{}</ins>").format(added)
    return marked + escape(spacing)
