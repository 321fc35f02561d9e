"""What a link shows when someone shares it: the share cards drawn for books without a cover
and for the shop (cards.py)."""
