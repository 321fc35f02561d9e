"""What people type or paste, made safe to keep: no control characters, line breaks as browsers
count them. PostgreSQL refuses NUL in text, and XML (the Atom feed) refuses most of the rest."""

import re
import unicodedata

# Vertical tab and form feed arrive when text is pasted from word processors: line breaks.
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n"})
# Everything XML 1.0 cannot carry: C0 controls but tab and newline, and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
