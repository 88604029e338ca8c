"""Use cases over measured sound: analyze, similar, plot, eq; the library index and enrichment."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from earwise.acoustics.plot import render
from earwise.acoustics.response import FrequencyResponse
from earwise.core.errors import ConflictError, EarwiseError
from earwise.service import measured as M
from earwise.service import results as R
from earwise.service.app import Earwise
from earwise.service.names import NotingView
from earwise.service.requests import (
    AnalyzeRequest,
    EnrichRequest,
    EqRequest,
    IndexRequest,
    PlotRequest,
    SimilarRequest,
)


def _uploaded_target(req) -> FrequencyResponse | None:
    t = req.target_upload
    return None if t is None else M.upload_target(t.text, t.name)


def analyze(app: Earwise, req: AnalyzeRequest) -> R.AnalyzeResult:
    view, root = NotingView(app.view()), app.settings.measurements_root
    uploaded = _uploaded_target(req)
    if req.upload is not None:
        sample = M.upload_sample(req.upload.text, req.upload.name, req.rig, req.form)
    elif req.target in (None, "harman") and uploaded is None:
        sample = M.stored_sample(view, req.name)
    else:
        sample = M.catalog_sample(view, req.name, root)
    data = M.analyze_sample(view, sample, root, req.target, uploaded)
    return R.AnalyzeResult(**data, **({"name_notes": view.notes} if view.notes else {}))


def similar(app: Earwise, req: SimilarRequest) -> R.SimilarResult:
    view = NotingView(app.view())
    conn = app.connect()
    try:
        indexed = M.candidates_from_index(conn, app.cache)
    finally:
        conn.close()
    return R.SimilarResult(
        **M.similar_json(view, req.name, req.top, indexed), name_notes=view.notes
    )


def plot(app: Earwise, req: PlotRequest) -> R.PlotResult:
    view, root = app.view(), app.settings.measurements_root
    samples = [M.catalog_sample(view, n, root) for n in req.names] + [
        M.upload_sample(u.text, u.name, None, None) for u in req.uploads
    ]
    curves = [s.fr.normalise(1000.0) for s in samples]
    for i, s in enumerate(samples):
        if s.id is not None:
            curves[i] = replace(curves[i], name=f"{s.label} ({s.source})")
    source = next((s.source for s in samples if s.source), "oratory1990")
    form = next((s.form for s in samples if s.id is not None), samples[0].form)
    tgt = None
    if req.target != "none":
        tgt = M.plot_target(req.target, source, form, root, _uploaded_target(req))
    title = " vs ".join(c.name for c in curves)
    try:
        content = render(req.fmt, curves, tgt, title)
    except ValueError as exc:
        raise EarwiseError(str(exc), "output") from None
    return R.PlotResult(title=title, fmt=req.fmt, content=content)


def eq(app: Earwise, req: EqRequest) -> R.EqResult:
    view, root = NotingView(app.view()), app.settings.measurements_root
    if req.upload is not None:
        sample = M.upload_sample(req.upload.text, req.upload.name, req.rig, req.form)
    else:
        sample = M.catalog_sample(view, req.name, root)
    from earwise.acoustics.eq import EqError

    try:
        data = M.eq_json(
            view, sample, root, req.target, req.preset, req.like, req.max_gain, req.filters,
            _uploaded_target(req),
        )  # fmt: skip
    except EqError as exc:
        raise EarwiseError(str(exc), exc.field or "name") from None
    return R.EqResult(**data, name_notes=view.notes)


def eq_plot(result: R.EqResult, fmt: str = "svg") -> bytes:
    """Before, after and target of an EQ result, as a figure."""
    c = result.curves
    f, raw, eqd, tgt = (np.array(x) for x in (c.freq_hz, c.raw_db, c.eq_db, c.target_db))
    curves = [
        FrequencyResponse(f, raw, f"{result.headphone} (before)").normalise(1000.0),
        FrequencyResponse(f, raw + eqd, "after EQ").normalise(1000.0),
    ]
    target = None
    if not result.goal.startswith("sound like"):
        target = FrequencyResponse(f, tgt, "target").normalise(1000.0)
    try:
        return render(fmt, curves, target, f"{result.headphone}: EQ to {result.goal}")
    except ValueError as exc:
        raise EarwiseError(str(exc), "plot") from None


def measurements_index(
    app: Earwise, req: IndexRequest, progress=None, on_total=None
) -> R.IndexResult:
    from earwise.catalog.linking import link
    from earwise.catalog.measurement_index import index_library

    root = Path(req.root) if req.root else app.settings.measurements_root
    if not root.is_dir():
        raise EarwiseError(f"measurements folder not found: {root}", "path")
    conn = app.connect()
    try:
        counts = index_library(conn, root, progress=progress, on_total=on_total, force=req.force)
    finally:
        conn.close()
    conn = app.connect()  # the store's current file (a rebuild may have replaced it meanwhile)
    try:
        refs = [r for (r,) in conn.execute("SELECT ref FROM measurements")]
    finally:
        conn.close()
    linked, unmatched = link(app.view().headphones.values(), refs)
    return R.IndexResult(
        **counts, linked_products=len(linked), unmatched_measurements=len(unmatched)
    )


def catalog_enrich(app: Earwise, req: EnrichRequest) -> R.EnrichResult:
    from earwise.catalog.derive import derive_all, write_derived
    from earwise.catalog.loader import load_catalog

    root = Path(req.root) if req.root else app.settings.measurements_root
    if not root.is_dir():
        raise EarwiseError(f"measurements folder not found: {root}", "measurements")
    if not req.force and next(root.rglob("*.csv"), None) is None:  # said before the catalog loads
        raise ConflictError(
            f"the measurements folder {root} holds no measurement files (*.csv); nothing was "
            "changed. Check the measurements folder, or pass --force",
            "measurements",
        )
    derived = derive_all(load_catalog(), root)
    write_derived(derived, force=req.force)
    return R.EnrichResult(enriched=len(derived), root=str(root))
