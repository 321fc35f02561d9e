"""The shop itself: opening hours, special closures and the status banner."""
