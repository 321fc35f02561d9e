"""Stock: how many copies are on the shelf, in the words the shop uses."""


def stock_in_words(stock: int) -> str:
    if stock <= 0:
        return "Out of stock — ask us to order it"
    if stock == 1:
        return "1 copy in stock"
    return f"{stock} copies in stock"
