"""What people type or paste, made safe to keep: no control characters, line breaks as browsers
count them. PostgreSQL refuses NUL in text, and XML (the Atom feed) refuses most of the rest.
And numbers as people type them: one reading for every form field, query string and CSV cell."""

import re
import unicodedata

# Vertical tab and form feed arrive when text is pasted from word processors: line breaks.
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n"})
# Everything XML 1.0 cannot carry: C0 controls but tab and newline, and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WHOLE_NUMBER = re.compile("[+-]?[0-9]+")


def fold(text: str) -> str:
    """Lower case without accents, for comparing what people type: "raul" finds "Raúl"."""
    if text.isascii():
        # Nothing to decompose (the search index folds every book's description).
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def one_line(typed: str) -> str:
    """A name, an address or a search: control characters gone, spaces tidied."""
    return " ".join(_NOT_XML.sub(" ", typed).split())


def paragraphs(typed: str) -> str:
    """Longer text (a review, a note): line breaks kept, control characters gone."""
    return _NOT_XML.sub("", typed.replace("\r\n", "\n").translate(_LINE_BREAKS)).strip()


def xml_safe(text: str) -> str:
    """Text as XML can carry it, for rows kept before these rules (the feed must stay valid)."""
    return _NOT_XML.sub("", text)


def whole_number(typed: str | None, digits: int = 18) -> int | None:
    """A whole number as people type it: ASCII digits, perhaps a sign, spaces around them
    forgiven; None for anything else ("two", "1.5", "1_000", "١٢", nothing). At most `digits`
    digits, so that no number typed is slow to read or too large for the database; whether
    it is in range (a copy count, an id, a page) is for the rules that use it."""
    text = (typed or "").strip()
    if _WHOLE_NUMBER.fullmatch(text) and len(text.lstrip("+-")) <= digits:
        return int(text)
    return None
