"""Use cases behind the pages: the form choices, the advisor's small error-curve thumbnails, and
the representative devices a product page checks drive against."""

from __future__ import annotations

import numpy as np

from earwise.catalog.view import CatalogView
from earwise.service import results as R
from earwise.service.app import Earwise

DRIVE_CATEGORIES = (
    ("a phone dongle", "phone-dongle"),
    ("a laptop", "laptop"),
    ("a console controller", "console-controller"),
    ("a portable DAC/amp", "portable-dac-amp"),
    ("a desktop amp", "desktop-amp"),
)


def representative_device(view: CatalogView, category: str):
    """The cheapest current device of a category that publishes output figures (else any of it)."""
    devices = sorted(
        (d for d in view.devices.values() if d.category == category),
        key=lambda d: (
            not any(o.ratings for o in d.outputs),
            d.discontinued,
            d.price_usd or float("inf"),
            d.id,
        ),
    )
    return devices[0] if devices else None


def thumbnail(view: CatalogView, product_id: str) -> str | None:
    """A small error-curve plot (measurement minus its rig's target) from the stored curve."""
    from earwise.acoustics.library import similarity_edges
    from earwise.acoustics.plot import svg
    from earwise.acoustics.response import FrequencyResponse

    d = view.measured.get(product_id)
    if not d:
        return None
    primary = next((x for x in d["all"] if x["measurement"] == d["primary"]), None)
    curve = primary.get("error_db") if primary else None
    if not curve:
        return None
    edges = similarity_edges()
    centres = np.concatenate(([edges[0]], np.sqrt(edges[:-1] * edges[1:]), [edges[-1], 20000.0]))
    values = np.array(curve, dtype=float)
    values = np.concatenate(([values[0]], values, [values[-1], values[-1]]))  # flat past 10 kHz
    if len(values) != len(centres) or not np.all(np.isfinite(values)):
        return None
    fr = FrequencyResponse(centres, values, "error vs target (to 10 kHz)")
    zero = FrequencyResponse(centres, np.zeros(len(centres)), "target")
    return svg([fr], zero, "")


def representative_sources(app: Earwise) -> list[tuple[str, str]]:
    """(what it stands for, device id) for each common kind of source the catalog has."""
    view = app.view()
    out = []
    for label, category in DRIVE_CATEGORIES:
        d = representative_device(view, category)
        if d is not None:
            out.append((label, d.id))
    return out


def thumbnail_svg(app: Earwise, product_id: str) -> str | None:
    return thumbnail(app.view(), product_id)


def choices(app: Earwise) -> R.Choices:
    """What the forms offer: vocabularies, catalog sources, sort fields, best-of categories."""
    from earwise.acoustics.eq import PRESETS
    from earwise.advice.best import category_names
    from earwise.advice.vocab import genres, uses
    from earwise.catalog.schema import PLATFORMS
    from earwise.catalog.store import SORTABLE
    from earwise.service.requests import BACKS, FORMS

    view = app.view()
    sources = sorted(((d.id, d.display_name) for d in view.devices.values()), key=lambda x: x[1])
    return R.Choices(
        genres=list(genres()), uses=list(uses()), platforms=list(PLATFORMS), forms=list(FORMS),
        backs=list(BACKS), sortable=list(SORTABLE), categories=category_names(),
        presets=list(PRESETS), sources=[list(x) for x in sources],
    )  # fmt: skip
