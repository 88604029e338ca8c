"""The catalog's names as ``ask`` reads them: every name worth looking for, each short name with
its maker before it, the names with digits for near-miss matching, all of them sorted for
prefix look-ups, and the bare aliases people say alone. Built once per view (its cache)."""

from __future__ import annotations

from earwise.advice.ask_match import canon
from earwise.catalog.store import normalise_name
from earwise.catalog.view import CatalogView


def catalog_names(view: CatalogView) -> list[tuple[str, str, str]]:
    """The names worth looking for in text, once per view (kept in the view's cache)."""
    names = view.cache.get("ask_names")
    if names is None:
        names = view.cache["ask_names"] = [
            (n, pid, kind)
            for n, pid, kind in view.names
            if len(n) >= 3 and (len(n) > 3 or any(c.isdigit() for c in n) or n.isalpha())
        ]
    return names


def branded_names(view: CatalogView) -> list[tuple[str, str, str]]:
    """Each short name with its maker before it ("Bose QC Ultra Headphones 2023"), for the
    prefix look-ups that ask which model a short name means (the exact scan needs none: the
    short name alone is found inside the longer text)."""
    said = catalog_names(view)
    known = {n for n, _, _ in said}
    return sorted(
        {
            (b + n, pid, kind)
            for n, pid, kind in said
            if not n.startswith(b := normalise_name(view.brand_of(pid))) and b + n not in known
        }
    )


def fuzzy_choices(view: CatalogView) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Names with a digit, in their canonical spelling (:func:`canon`), for near-miss matching:
    {name: (id, kind)} and its keys, built once per view (kept in the view's cache)."""
    got = view.cache.get("ask_fuzzy")
    if got is None:
        choices = {
            canon(n): (pid, kind)
            for n, pid, kind in catalog_names(view)
            if any(c.isdigit() for c in n)
        }
        got = view.cache["ask_fuzzy"] = (choices, list(choices))
    return got


def sorted_names(view: CatalogView) -> tuple[list[tuple[str, str]], set[str]]:
    """(name, id) sorted by name, for prefix look-ups, and the set of names, once per view."""
    got = view.cache.get("ask_sorted_names")
    if got is None:
        names = catalog_names(view) + branded_names(view)
        got = view.cache["ask_sorted_names"] = (
            sorted({(n, pid) for n, pid, _ in names}),
            {n for n, _, _ in names},
        )
    return got


def bare_aliases(view: CatalogView) -> dict[str, set[str]]:
    """{normalised short name: its aliases as the catalog spells them} for aliases of three
    letters or digits or fewer ("6XX", "PX8"): curated as what people say alone, they count
    when written exactly so."""
    got = view.cache.get("ask_bare_aliases")
    if got is None:
        got = view.cache["ask_bare_aliases"] = {}
        for item in (*view.headphones.values(), *view.devices.values()):
            for a in item.aliases:
                if len(normalise_name(a)) <= 3:
                    got.setdefault(normalise_name(a), set()).add(a)
    return got
