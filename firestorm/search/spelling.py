"""Did you mean …? A search's misspelled words, corrected to words the catalog's books have.

A word is taken as misspelled when it has five letters or more and no book has a word it
matches (not even another form or a longer word it begins). Its correction is the indexed
word one or two letters away (a letter wrong, missing, added, or two swapped), found among
the word's neighbours by letter triples (index.words_like). "graber" → "graeber".
"""

from firestorm.search import index
from firestorm.search.terms import WORD, Term, terms_of, words_of
from firestorm.typed_text import fold

SHORTEST_CORRECTED = 5
MOST_LETTERS_OFF = 2


def corrected(text: str) -> str | None:
    """The text with its misspelled words corrected, or None when none could be."""
    corrections = {}
    for term in terms_of(text):
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
