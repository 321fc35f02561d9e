"""Lists of books as the pages draw them: the titles of the public lists' rows (the catalog,
a shelf, a search) and of the collective's desk, in their order."""

import re
from html import unescape

from review_helpers import page_text

DESK_ROW_TITLE = re.compile(r'<th scope="row">\s*<a href="[^"]*">([^<]*)</a>')


def titles_on(response) -> list[str]:
    """The titles of a public list's books, in its order."""
    text = page_text(response)
    return [
        unescape(chunk.split("</a>")[0].split(">")[-1])
        for chunk in text.split('class="book-row-title"')[1:]
    ]


def desk_titles(page: str) -> list[str]:
    """The titles of the books in the desk's list (the page's HTML), in its order."""
    return [unescape(title) for title in DESK_ROW_TITLE.findall(page)]
