"""Events at the cafe: readings, book clubs, film nights, each on one evening, in the shop's
time zone; on a day the shop is closed only when the collective opens for it (a feature on
the shop's hours; no Flask)."""
