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

Words people write joined or apart are found either way, and marks are never required:

- "&" is the word "and", in the books and in what is typed: "black and white" finds
  "Black & White";
- a word written with a hyphen or an apostrophe inside is indexed as its parts and as one
  word without the marks ("anarcho-syndicalist" is also "anarchosyndicalist", "don't" is
  "dont"); two neighbouring words of a title, a subtitle or a name are indexed joined too,
  so "leguin" finds "Le Guin" (`joined_words`);
- two neighbouring words typed apart are also tried joined (`readings`): "sweet grass"
  finds "Sweetgrass".

Other languages: for a catalog in Spanish, German… (CATALOG_LANGUAGE) the stem is cut by
that language's Snowball stemmer, kept to a beginning of the word. English keeps the endings
below: Snowball stems "anarchy" to "anarchi", which would no longer find "Anarchism".
"""

import re
from dataclasses import dataclass, replace
from functools import cache

import snowballstemmer

from firestorm.typed_text import fold

# Letters and digits of any script; everything else separates words, as in the index.
WORD = re.compile(r"[^\W_]+")
# A run of digits and hyphens (perhaps ending in the ISBN-10 check "X") is one number: the
# beginning of an ISBN typed with its hyphens, "978-0-06".
HYPHENATED_NUMBER = re.compile(r"[\d-]*\d[\d-]*[xX]?")
# A word with a hyphen or an apostrophe inside: "anarcho-syndicalist", "don't", "O’Brien".
MARKED_WORD = re.compile(r"[^\W_]+(?:['’‐-][^\W_]+)+")
MARKS = re.compile(r"['’‐-]")
SHORTEST_BEGINNING = 2
ENGLISH = "english"
# Past this many words, a search is not also tried with neighbouring words joined: each
# joining is one more way the index is asked.
MOST_WORDS_JOINED = 6
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
    # Other words of the catalog a letter or two away, matched too (search/spelling.py).
    typos: tuple[str, ...] = ()

    @property
    def is_beginning(self) -> bool:
        """Whether every word starting with the stem matches, or only the word itself."""
        return len(self.stem) >= SHORTEST_BEGINNING


def terms_of(text: str, language: str = ENGLISH) -> list[Term]:
    """The search's words, folded, each with its stem; numbers lose their hyphens."""
    words = []
    for chunk in _spelled_out(text).split():
        if HYPHENATED_NUMBER.fullmatch(chunk):
            words.append(chunk.replace("-", ""))
        else:
            words.extend(WORD.findall(chunk))
    return [Term(word, stem(word, language)) for word in words]


def readings(terms: list[Term], language: str = ENGLISH) -> list[list[Term]]:
    """The ways the search is matched: as typed, then with each two neighbouring words
    joined into one ("sweet grass" is also "sweetgrass")."""
    ways = [terms]
    if len(terms) <= MOST_WORDS_JOINED:
        for i, (first, second) in enumerate(zip(terms, terms[1:], strict=False)):
            if first.word.isalpha() and second.word.isalpha():
                joined = first.word + second.word
                ways.append([*terms[:i], Term(joined, stem(joined, language)), *terms[i + 2 :]])
    return ways


def without_typos(terms: list[Term]) -> list[Term]:
    return [replace(term, typos=()) for term in terms]


def stem(word: str, language: str = ENGLISH) -> str:
    """The beginning the word shares with its other forms (the word itself if it has no
    ending, or is a number)."""
    if not word.isalpha():
        return word
    if language != ENGLISH:
        return _snowball_stem(word, language)
    for ending, shortest_stem in ENDINGS:
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= shortest_stem and not _is_double_s(word, ending):
            return _single_final_consonant(base) if ending in VERB_ENDINGS else base
    return word


def words_of(text: str) -> list[str]:
    """Every word of a text as the index keeps it: folded, in order."""
    return WORD.findall(_spelled_out(text))


def joined_words(text: str, neighbours: bool = False) -> list[str]:
    """The words of a text written apart that are also indexed as one: each word with a
    hyphen or an apostrophe inside, without its marks; with `neighbours`, also every two
    neighbouring words (for titles and names: "Le Guin" is also "leguin")."""
    folded = _spelled_out(text)
    joined = [MARKS.sub("", found) for found in MARKED_WORD.findall(folded)]
    if neighbours:
        words = WORD.findall(folded)
        joined += [
            first + second
            for first, second in zip(words, words[1:], strict=False)
            if first.isalpha() and second.isalpha()
        ]
    return joined


def checked_language(name: str) -> str:
    """CATALOG_LANGUAGE as the stemmers name it ("spanish"); a name they don't know is said in
    words when the site starts, not at the first search."""
    language = name.strip().casefold()
    if language not in snowballstemmer.algorithms():
        known = ", ".join(snowballstemmer.algorithms())
        raise ValueError(f"CATALOG_LANGUAGE {name!r} is not a language search knows: {known}.")
    return language


def _spelled_out(text: str) -> str:
    return fold(text).replace("&", " and ")


def _snowball_stem(word: str, language: str) -> str:
    # The stem must begin the word (search/index.py matches every word it begins): where
    # Snowball rewrites an ending ("canciones" → "cancion" is fine, "happy" → "happi" is
    # not), only what the two have in common is kept.
    stemmed = _snowball(language).stemWord(word)
    common = 0
    while common < min(len(word), len(stemmed)) and word[common] == stemmed[common]:
        common += 1
    return word[: max(common, SHORTEST_BEGINNING)]


@cache
def _snowball(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def _is_double_s(word: str, ending: str) -> bool:
    # "press", "dispossess": the final "s" is not a plural.
    return ending == "s" and word.endswith("ss")


def _single_final_consonant(base: str) -> str:
    doubled = len(base) > 4 and base[-1] == base[-2] and base[-1] not in "aeiou"
    return base[:-1] if doubled else base
