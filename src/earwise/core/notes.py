"""Which notes of an answer are bookkeeping (what was left out and why) rather than advice: the
CLI and the web show them after the picks, so the picks come first."""

from __future__ import annotations

_BOOKKEEPING = ("left out because", "left out for", "with no price on record")


def is_bookkeeping(note: str) -> bool:
    """A note that counts what was left out ("12 headphones ... left out because the catalog has
    no price for them") or names what could not be priced, not a note about the picks."""
    return any(k in note for k in _BOOKKEEPING)
