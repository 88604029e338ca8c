"""Reading a question, part 2c: a model number said alone after a model of the same series ("HD
600 vs 650", "DT 770 or 990", "the 6XX and 58X"): people drop the letters the two names share.

The number alone becomes a name only when the first model's name with that number in place of
its own is a catalog name (exactly, or the start of several, which are then asked about); a
number that makes no catalog name stays a number ("the HD 600 and 2 amps")."""

from __future__ import annotations

import re

from earwise.advice.ask_names import first_name_from, names_starting, sorted_names
from earwise.advice.ask_products import _overlaps, _taken, add_ambiguous, add_short_form
from earwise.advice.ask_text import Understood, vocab
from earwise.catalog.store import normalise_name
from earwise.catalog.view import CatalogView

# After a model: "vs", "or", "and", a slash or a comma, then a bare number (letters may follow:
# "58X"), never a figure with its unit ("or 300 ohm", "and 20 hours") nor a price.
_NEXT_NUMBER = re.compile(
    r"\s*(?:vs\.?|versus|or|and|/|,|&)\s*(?:the\s+)?(\d{2,4}[A-Za-z]{0,2})(?![\w$%-])"
    r"(?!\s*(?:ohms?|Ω|mw|hz|khz|hours?|hrs?|bucks|dollars|usd|eur|gbp|€|£|%|db|years?|mm)\b)",
    re.I,
)
_NUMBER = re.compile(r"\d{2,4}")


def _names_with(view: CatalogView, name: str) -> list[str]:
    """The catalog ids a name is (one) or starts (several, never across a number)."""
    ordered, exact = sorted_names(view)
    key = normalise_name(name)
    if key in exact:
        return [first_name_from(ordered, key)[1]]
    return sorted({pid for _, pid in names_starting(ordered, key)})


def _said_forms(view: CatalogView, named: dict) -> list[str]:
    """The name as said, then (for a catalog product) its model name with its maker."""
    forms = [named.get("span") or named["name"]]
    item = view.headphones.get(named.get("id")) or view.devices.get(named.get("id"))
    if item is not None:
        forms.append(f"{item.brand} {item.model}")
    return forms


def read_series_numbers(u: Understood, view: CatalogView) -> None:
    """A bare model number after a named model of the same series: that model, or the models
    it could be (asked about)."""
    taken = _taken(u)
    for named in [*u.products, *u.ambiguous]:
        m = _NEXT_NUMBER.match(u.text, named["end"])
        if m is None or _overlaps(taken, *m.span(1)):
            continue
        for said in _said_forms(view, named):
            numbers = list(_NUMBER.finditer(said))
            if not numbers:
                continue
            name = said[: numbers[-1].start()] + m.group(1)  # "HD 600" -> "HD 650"
            ids = _names_with(view, name)
            if not ids or len(ids) > vocab()["names_asked_one_by_one"]:
                continue
            taken.append(m.span(1))
            if len(ids) == 1:
                add_short_form(u, view, ids[0], *m.span(1))
            else:
                add_ambiguous(u, view, name, ids, *m.span(1))
            break
