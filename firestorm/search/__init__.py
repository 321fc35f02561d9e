"""Finding books: what a visitor typed, the index of each book's words, corrections.

The index follows every change to a book made anywhere (its flush hook, search/index.py):
loaded with the package, whichever search module the app or a script imports first."""

from firestorm.search import index  # noqa: F401
