"""Typos forgiven, and Did you mean …? A search's words, matched with the catalog's words a
letter or two away, and corrected when nothing matches.

Every word of five letters or more also matches the catalog's words one letter away, and
from nine letters two away (`with_typos`), as Meilisearch and Typesense forgive by default:
"octvia buttler" finds Octavia Butler, "appalachian" the books about Appalachia. The books
matching as typed still come first (search/index.py).

When a search still finds nothing, a word is taken as misspelled when it has five letters or
more and no book has a word it matches (not even another form or a longer word it begins).
Its correction, offered as "Did you mean …?", is the indexed word one or two letters away (a
letter wrong, missing, added, or two swapped), found among the word's neighbours by letter
triples (index.words_like): "grabr" → "graeber".
"""

from dataclasses import replace

from firestorm.search import index
from firestorm.search.terms import WORD, Term, terms_of, words_of
from firestorm.typed_text import fold

SHORTEST_CORRECTED = 5
MOST_LETTERS_OFF = 2
# Typos forgiven in every search: (shortest word, letters off), longest first.
TYPOS_FORGIVEN = ((9, 2), (5, 1))
# Only the first words of a long search are looked up for typos: each is one more lookup.
MOST_WORDS_WITH_TYPOS = 6


def with_typos(terms: list[Term]) -> list[Term]:
    """The terms, each with the catalog's words it is a typo of (`Term.typos`): those a
    letter or two away that its stem does not already match."""
    return [
        replace(term, typos=_typos_of(term)) if n < MOST_WORDS_WITH_TYPOS else term
        for n, term in enumerate(terms)
    ]


def _typos_of(term: Term) -> tuple[str, ...]:
    forgiven = next((off for shortest, off in TYPOS_FORGIVEN if len(term.word) >= shortest), 0)
    if not forgiven or not term.word.isalpha():
        return ()
    return tuple(
        word
        for word in index.words_like(term.word)
        if not word.startswith(term.stem) and letters_off(term.word, word, forgiven + 1) <= forgiven
    )


def corrected(text: str, language: str) -> str | None:
    """The text with its misspelled words corrected, or None when none could be."""
    corrections = {}
    for term in terms_of(text, language):
        if _looks_misspelled(term):
            correction = closest_word(term.word, index.words_like(term.word))
            if correction:
                corrections[term.word] = correction
    if not corrections:
        return None
    return " ".join(_corrected_word(typed, corrections) for typed in text.split())


def closest_word(word: str, candidates: list[str]) -> str | None:
    """The candidate fewest letters away (at most two), the earliest of equals."""
    best, best_distance = None, MOST_LETTERS_OFF + 1
    for candidate in candidates:
        distance = letters_off(word, candidate, best_distance)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def letters_off(a: str, b: str, enough: int = MOST_LETTERS_OFF + 1) -> int:
    """How many letters differ: wrong, missing, added, or two side by side swapped (the
    optimal string alignment distance). Counting stops at `enough`."""
    if abs(len(a) - len(b)) >= enough:
        return enough
    previous = list(range(len(b) + 1))
    # The row before the previous one: read only from the second letter on.
    before = previous
    for i, letter in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            cost = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (letter != other),
            )
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) >= enough:
            return enough
        before, previous = previous, current
    return min(previous[-1], enough)


def _looks_misspelled(term: Term) -> bool:
    return (
        term.word.isalpha()
        and len(term.word) >= SHORTEST_CORRECTED
        and not index.finds_anything(term)
    )


def _corrected_word(typed: str, corrections: dict[str, str]) -> str:
    """The word as typed, or folded with its misspelled part corrected: "Graber's" →
    "graeber's"."""
    if not any(word in corrections for word in words_of(typed)):
        return typed
    return WORD.sub(lambda found: corrections.get(found[0], found[0]), fold(typed))
