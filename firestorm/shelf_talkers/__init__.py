"""Shelf-talkers: published reviews printed as cards to stand on the shelf beside their books."""
