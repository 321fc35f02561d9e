"""The words of a search as the index matches them: folded, split, and cut to their stems.

Books are indexed word for word, unstemmed (search/index.py). A search word matches
every indexed word that begins with its stem, so one lookup covers a word's other forms and
its beginning while it is still being typed:

- "anarchy" and "anarchism" both have the stem "anarch": each finds Anarchy, Anarchism,
  Anarchist;
- "organizing" → "organiz" finds organize, organized, organization;
- "zibe" is a beginning: it finds Zibechi.

The stem is always a beginning of the word itself, so the word as typed is always found; a
book with the exact word ranks above one with only another form. A single letter or digit
is too short to be a useful beginning (it would match a large share of the catalog): it
matches only the whole word "a", "x" or "7".
"""

import re
from dataclasses import dataclass

from firestorm.typed_text import fold

# Letters and digits of any script; everything else separates words, as in the index.
WORD = re.compile(r"[^\W_]+")
# A run of digits and hyphens (perhaps ending in the ISBN-10 check "X") is one number: the
# beginning of an ISBN typed with its hyphens, "978-0-06".
HYPHENATED_NUMBER = re.compile(r"[\d-]*\d[\d-]*[xX]?")
SHORTEST_BEGINNING = 2
# Endings that mark other forms of one word, longest first, each with the shortest stem it
# may leave: "power" keeps its "er", "organizer" does not.
ENDINGS = (
    ("ations", 4),
    ("ation", 4),
    ("ities", 4),
    ("ings", 4),
    ("ical", 4),
    ("isms", 4),
    ("ists", 4),
    ("ness", 4),
    ("ment", 4),
    ("ing", 4),
    ("ism", 4),
    ("ist", 4),
    ("ity", 4),
    ("ies", 4),
    ("ied", 4),
    ("ers", 5),
    ("ed", 4),
    ("es", 4),
    ("er", 5),
    ("ic", 5),
    ("ly", 4),
    ("s", 4),
    ("y", 4),
    ("e", 4),
)
# Endings after which a doubled consonant is single in the word's other forms: "stopping".
VERB_ENDINGS = ("ing", "ings", "ed")


@dataclass(frozen=True)
class Term:
    """One word of a search: `word` folded as typed, `stem` the beginning its forms share."""

    word: str
    stem: str

    @property
    def is_beginning(self) -> bool:
        """Whether every word starting with the stem matches, or only the word itself."""
        return len(self.stem) >= SHORTEST_BEGINNING


def terms_of(text: str) -> list[Term]:
    """The search's words, folded, each with its stem; numbers lose their hyphens."""
    words = []
    for chunk in fold(text).split():
        if HYPHENATED_NUMBER.fullmatch(chunk):
            words.append(chunk.replace("-", ""))
        else:
            words.extend(WORD.findall(chunk))
    return [Term(word, stem(word)) for word in words]


def stem(word: str) -> str:
    """The beginning the word shares with its other forms (the word itself if it has no
    ending, or is a number)."""
    if not word.isalpha():
        return word
    for ending, shortest_stem in ENDINGS:
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= shortest_stem and not _is_double_s(word, ending):
            return _single_final_consonant(base) if ending in VERB_ENDINGS else base
    return word


def words_of(text: str) -> list[str]:
    """Every word of a text as the index keeps it: folded, in order."""
    return WORD.findall(fold(text))


def _is_double_s(word: str, ending: str) -> bool:
    # "press", "dispossess": the final "s" is not a plural.
    return ending == "s" and word.endswith("ss")


def _single_final_consonant(base: str) -> str:
    doubled = len(base) > 4 and base[-1] == base[-2] and base[-1] not in "aeiou"
    return base[:-1] if doubled else base
