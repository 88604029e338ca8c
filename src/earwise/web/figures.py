"""Presentation helpers over the catalog view: the advisor's small error-curve thumbnails and the
representative devices a product page checks drive against. Read-only; the view always comes
from ``Earwise.view()`` (it follows the store)."""

from __future__ import annotations

import numpy as np

from earwise.catalog.view import CatalogView

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
