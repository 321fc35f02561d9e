"""Stock in the words the shop uses."""

import pytest

from firestorm.catalog.stock import stock_in_words


@pytest.mark.parametrize(
    ("stock", "words"),
    [
        (0, "Out of stock — ask us to order it"),
        (1, "1 copy in stock"),
        (2, "2 copies in stock"),
        (40, "40 copies in stock"),
    ],
)
def test_stock_in_words(stock, words):
    assert stock_in_words(stock) == words
