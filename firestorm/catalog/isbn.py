"""ISBNs: read ISBN-10 or -13 as people type them, store ISBN-13, show it hyphenated."""

import re

from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, ValidationError

# Back covers print "ISBN 978-…" or "ISBN-13: 978-…"; people copy the label too.
PRINTED_LABEL = re.compile(r"^\s*ISBN(?:-1[03])?:?\s*", re.IGNORECASE)


def to_isbn13(text: str) -> str | None:
    """The ISBN-13 for a valid ISBN-10 or ISBN-13 in any common spelling, else None."""
    try:
        valid = stdnum_isbn.validate(PRINTED_LABEL.sub("", text))
    except ValidationError:
        return None
    return stdnum_isbn.to_isbn13(valid)


def problem(text: str) -> str | None:
    """What is wrong with a typed ISBN, in plain words, or None when it is a valid one."""
    try:
        stdnum_isbn.validate(PRINTED_LABEL.sub("", text))
    except InvalidChecksum:
        return (
            "That ISBN's last digit doesn't match the others: check it against the back cover "
            "(one of the digits may be mistyped)."
        )
    except ValidationError:
        return "An ISBN has 10 or 13 digits (the last may be an X), with or without hyphens."
    return None


def has_wrong_check_digit(text: str) -> bool:
    """An ISBN-10 or -13 in shape whose last digit doesn't match the others."""
    try:
        stdnum_isbn.validate(PRINTED_LABEL.sub("", text))
    except InvalidChecksum:
        return True
    except ValidationError:
        return False
    return False


def one_digit_away(text: str) -> list[str]:
    """For an ISBN whose last digit doesn't match, the valid ISBNs (as ISBN-13s) that differ
    from it in one character, the last included: what was most likely meant. At most one
    replacement per place can make a valid ISBN, so these are a dozen or so."""
    if not has_wrong_check_digit(text):
        return []
    typed = stdnum_isbn.compact(PRINTED_LABEL.sub("", text))
    found = set()
    for place, character in enumerate(typed):
        for replacement in "0123456789X":
            if replacement != character:
                found.add(to_isbn13(typed[:place] + replacement + typed[place + 1 :]))
    return sorted(isbn13 for isbn13 in found if isbn13)


def hyphenated(isbn13: str) -> str:
    """978-1-84935-011-2, the way it is printed on the back cover."""
    return stdnum_isbn.format(isbn13)


def isbn10(isbn13: str) -> str | None:
    """The old ten-digit form of a stored (valid) ISBN-13, which only 978- ISBNs have.
    Worked out here rather than by stdnum, which checks it all again: indexing every book
    of a large catalog asks for it 100,000 times."""
    if not isbn13.startswith("978"):
        return None
    body = isbn13[3:12]
    check = -sum((10 - position) * int(digit) for position, digit in enumerate(body)) % 11
    return body + ("X" if check == 10 else str(check))
