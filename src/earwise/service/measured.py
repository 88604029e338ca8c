"""Service functions for measured sound (analyze, similar, plot, index), shared by CLI and web."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from earwise.acoustics.describe import describe
from earwise.acoustics.features import features_many, signature_label
from earwise.acoustics.io import measurement_path, read_measurement
from earwise.acoustics.library import FORMS, SOURCES, shifted_curve
from earwise.acoustics.preference import in_ear_score, over_ear_score
from earwise.acoustics.response import FrequencyResponse, standard_grid
from earwise.acoustics.similarity import Candidate, form_group, nearest
from earwise.acoustics.targets import (
    PRESETS,
    RIG_OF_SOURCE,
    harman_target,
    preset_target,
)
from earwise.catalog import store
from earwise.catalog.linking import link
from earwise.catalog.view import CatalogView
from earwise.core.errors import EarwiseError


class MeasuredError(EarwiseError):
    """A measured-sound request that cannot be answered; one readable line."""


@dataclass(frozen=True)
class Sample:
    """A response to work on: from the catalog's library or uploaded (rig/form as stated)."""

    fr: FrequencyResponse
    source: str | None
    form: str
    label: str
    id: str | None = None
    ref: str | None = None


def library_root(root: Path) -> Path:
    if not root.is_dir():
        raise MeasuredError(
            f"measurement library not found at {root} (set EARWISE_MEASUREMENTS)", "measurements"
        )
    return root


def rig_form_from_path(path: Path) -> tuple[str | None, str | None]:
    """(source, form) when a file sits in an AutoEq-layout library (``<Source>/data/<form>/``)."""
    parts = path.resolve().parts
    if len(parts) >= 4 and parts[-3] == "data" and parts[-4] in SOURCES and parts[-2] in FORMS:
        return parts[-4], parts[-2]
    return None, None


def _target_for(
    spec: str | None, source: str | None, form: str, root: Path,
    uploaded: FrequencyResponse | None = None,
) -> tuple[FrequencyResponse, bool]:  # fmt: skip
    """(target, is the rig's own Harman target). Targets are presets or uploads, never paths."""
    base_source = source or "oratory1990"
    if uploaded is not None:
        return uploaded, False
    base = harman_target(base_source, form, root)
    if spec in (None, "harman"):
        return base, source is not None
    if spec in PRESETS:
        return preset_target(base, spec), False
    raise MeasuredError(f"target {spec!r} is not a preset ({', '.join(PRESETS)})", "target")


def measured_headphone(view: CatalogView, name: str):
    """(headphone, its derived measurement features) for a catalog name, or an error saying
    the catalog has no measurement of it."""
    h = view.headphone(name)
    d = view.measured.get(h.id)
    if not d:
        raise MeasuredError(f"no measurement of the {h.display_name} in the catalog", "name")
    return h, d


def catalog_sample(view: CatalogView, name: str, root: Path) -> Sample:
    """The primary library measurement of a catalog headphone."""
    h, d = measured_headphone(view, name)
    source, form, _ = d["primary"].split("/", 2)
    label = h.display_name
    fr = replace(
        read_measurement(measurement_path(d["primary"], library_root(root)), label), name=label
    )
    return Sample(fr, source, form, label, h.id, d["primary"])


def upload_sample(text: str, name: str, rig: str | None, form: str | None) -> Sample:
    """A user's measurement that arrived as text."""
    from earwise.acoustics.io import parse_measurement_text

    if rig is not None and rig not in SOURCES:
        raise MeasuredError(f"unknown rig {rig!r}; valid: {', '.join(SOURCES)}", "rig")
    return Sample(parse_measurement_text(text, name), rig, form or "over-ear", name)


def upload_target(text: str, name: str) -> FrequencyResponse:
    from earwise.acoustics.targets import parse_target_text

    return parse_target_text(text, name)


def analyse_response(
    fr: FrequencyResponse, source: str | None, form: str, target_spec: str | None, root: Path,
    uploaded_target: FrequencyResponse | None = None,
) -> dict:  # fmt: skip
    target, own_harman = _target_for(target_spec, source, form, root, uploaded_target)
    grid = standard_grid()
    feats = {
        k: round(float(v[0]), 2)
        for k, v in features_many(grid, fr.at(grid) - target.at(grid)).items()
    }
    label = signature_label(feats["bass_db"], feats["mids_db"], feats["treble_db"])
    score, note = None, None
    if not own_harman:
        note = (
            "no preference score: the rig is unknown (say which rig measured it)" if source is None
            else "no preference score: the Harman model is defined against the rig's Harman target, not this one"
        )  # fmt: skip
    elif form == "earbud":
        note = "no preference score: Harman's models cover over-ears and sealed in-ears, not open-fit earbuds"
    else:
        score = round(
            over_ear_score(fr, target) if form == "over-ear" else in_ear_score(fr, target), 1
        )
    return {
        "name": fr.name,
        "rig": RIG_OF_SOURCE.get(source or "", "unknown"),
        "form": form,
        "target": target.name,
        "preference_score": score,
        "score_note": note,
        "signature": label,
        "bands_db": feats,
        "meaning": describe(feats, label),
    }


def analyze_sample(
    view: CatalogView, sample: Sample, root: Path, target: str | None = None,
    uploaded_target: FrequencyResponse | None = None,
) -> dict:  # fmt: skip
    """Analyse an uploaded sample, or a catalog product's stored features (its own target)."""
    if sample.id is None:
        return analyse_response(
            sample.fr, sample.source, sample.form, target, library_root(root), uploaded_target
        )
    h = view.headphones[sample.id]
    d = view.measured[h.id]
    primary = next(x for x in d["all"] if x["measurement"] == d["primary"])
    if target not in (None, "harman") or uploaded_target is not None:
        out = analyse_response(
            sample.fr, sample.source, sample.form, target, library_root(root), uploaded_target
        )
    else:
        out = {
            "name": h.display_name, "rig": primary["rig"], "form": sample.form,
            "target": primary["target"], "preference_score": primary["preference_score"],
            "score_note": None if primary["preference_score"] is not None else primary["preference_model"],
            "signature": primary["signature"], "bands_db": primary["bands_db"],
            "meaning": describe(primary["bands_db"], primary["signature"]),
        }  # fmt: skip
    out["id"] = h.id
    out["measurement"] = d["primary"]
    out["other_measurements"] = [
        {"measurement": x["measurement"], "preference_score": x["preference_score"], "signature": x["signature"]}
        for x in d["all"] if x["measurement"] != d["primary"]
    ]  # fmt: skip
    return out


def stored_sample(view: CatalogView, name: str) -> Sample | None:
    """A catalog product's identity without reading the library (analysis from stored features)."""
    h, d = measured_headphone(view, name)
    source, form, _ = d["primary"].split("/", 2)
    return Sample(None, source, form, h.display_name, h.id, d["primary"])  # type: ignore[arg-type]


def candidates_from_index(conn, cache: dict) -> dict[str, dict]:
    """The indexed measurements' features, parsed once per state of the index
    (:func:`store.index_state`), kept in the application's ``cache``."""
    state = store.index_state(conn)
    cached = cache.get("index_features")
    if cached is None or cached[0] != state:
        cache["index_features"] = (state, store.measurement_features(conn))
    return cache["index_features"][1]


def similar_json(
    view: CatalogView,
    name: str,
    top: int,
    indexed: dict[str, dict],
    shift_db: tuple[float, float] = (0.0, 0.0),
) -> dict:
    """The closest-sounding measurements to a catalog product, same rig family and form group;
    with ``shift_db`` (bass, treble), closest to it moved that way ("like X but more bass")."""
    h, d = measured_headphone(view, name)
    primary = next(x for x in d["all"] if x["measurement"] == d["primary"])
    if indexed:
        pool, scope = indexed, f"the indexed library ({len(indexed)} measurements)"
    else:
        pool = {}
        for x in view.measured.values():
            p = next(e for e in x["all"] if e["measurement"] == x["primary"])
            pool[p["measurement"]] = p
        scope = f"the catalog's measured headphones ({len(pool)}); run 'earwise measurements index' for all"
    linked, _ = link(view.headphones.values(), pool)
    owner = {ref: pid for pid, refs in linked.items() for ref in refs}

    def cand(ref: str, f: dict) -> Candidate:
        return Candidate(ref, np.array(f["error_db"]), f.get("rig_family", "GRAS" if ref.startswith("oratory") else "HMS"),
                         form_group(ref.split("/")[1]))  # fmt: skip

    query = cand(d["primary"], primary)
    if any(shift_db):
        query = replace(query, curve_db=shifted_curve(query.curve_db, *shift_db))
    own = set(linked.get(h.id, [])) | {d["primary"]}
    others = [cand(ref, f) for ref, f in pool.items() if ref not in own and "error_db" in f]
    hits = nearest(query, others, top)
    return {
        "id": h.id, "name": h.display_name, "measurement": d["primary"],
        "scope": scope,
        "similar": [
            {"measurement": c.key, "distance_db": round(dist, 2), "product_id": owner.get(c.key),
             "label": view.label(owner[c.key]) if c.key in owner else c.key.split("/", 2)[2],
             "trade_off": similar_trade_off(view, h, primary, pool[c.key], owner.get(c.key))}
            for c, dist in hits
        ],
    }  # fmt: skip


def similar_trade_off(
    view: CatalogView, h, query: dict, other: dict, pid: str | None
) -> str | None:
    """How a close-sounding headphone still differs from the one asked about, in plain words: the
    band where their deviations from the target differ most (weighted as the music fit weighs
    bands), and, for a catalog product, its back and price ("differs most in the treble (5-10
    kHz): 2.1 dB more; closed back; $100 less")."""
    from earwise.advice.criteria import BAND_LABELS, BAND_WEIGHTS
    from earwise.advice.weights import BANDS, value

    same_db = value("explain.same_level_db")  # below this, 'about as much'

    qb, ob = query.get("bands_db") or {}, other.get("bands_db") or {}
    diffs = [
        (w * (ob[k] - qb[k]) ** 2, k, ob[k] - qb[k])
        for k, w in zip(BANDS, BAND_WEIGHTS, strict=True)
        if w > 0 and qb.get(k) is not None and ob.get(k) is not None
    ]
    bits = []
    if diffs:
        _, k, diff = max(diffs)
        if abs(diff) >= same_db:
            bits.append(f"differs most in the {BAND_LABELS[k]}: {abs(diff):.1f} dB "
                        f"{'more' if diff > 0 else 'less'}")  # fmt: skip
        else:
            bits.append(f"within {same_db:g} dB of it in every band")
    o = view.headphones.get(pid) if pid else None
    if o is not None:
        if o.back != h.back:
            bits.append(f"{o.back} back")
        if o.wireless is True and h.wireless is not True:
            bits.append("wireless")
        if (
            o.price_usd is not None
            and h.price_usd is not None
            and abs(o.price_usd - h.price_usd) >= 1
        ):
            dp = o.price_usd - h.price_usd
            bits.append(f"${abs(dp):,.0f} {'more' if dp > 0 else 'less'}")
        elif o.price_usd is None:
            bits.append("no price known")
    return "; ".join(bits) or None


def plot_target(
    spec: str | None, source: str, form: str, root: Path,
    uploaded: FrequencyResponse | None = None,
) -> FrequencyResponse:  # fmt: skip
    target, _ = _target_for(spec, source, form, library_root(root), uploaded)
    return target.normalise(1000.0)


# --- parametric EQ ------------------------------------------------------------------------------


def eq_json(
    view: CatalogView, sample: Sample, root: Path, target: str | None = None, preset: str = "apo",
    like: str | None = None, max_gain_db: float = 6.0, n_filters: int | None = None,
    uploaded_target: FrequencyResponse | None = None,
) -> dict:  # fmt: skip
    """Fit an EQ for ``sample`` (to a target, or to sound like another headphone) in an app's format."""
    from earwise.acoustics.eq import (
        PRESETS,
        check_measurement,
        check_target,
        export,
        goal_from_error,
        graphic_frequencies,
        read_graphiceq,
        validate_export,
    )
    from earwise.acoustics.peq import fit_peq, response_db
    from earwise.acoustics.targets import RIG_FAMILY

    if preset not in PRESETS:
        raise MeasuredError(f"unknown preset {preset!r}; valid: {', '.join(PRESETS)}", "preset")
    root = library_root(root)
    fr, source, form_, label = sample.fr, sample.source, sample.form, sample.label
    tgt, own_harman = _target_for(target, source, form_, root, uploaded_target)
    check_measurement(fr)
    check_target(tgt)
    grid = standard_grid()
    error = fr.at(grid) - tgt.at(grid)
    goal_text = f"{tgt.name}"
    if like is not None:
        o = catalog_sample(view, like, root)
        other, o_source, o_form, o_label = o.fr, o.source, o.form, o.label
        if RIG_FAMILY.get(o_source or "", "?") != RIG_FAMILY.get(source or "", "?") or form_group(
            o_form
        ) != form_group(form_):
            raise MeasuredError(
                f"{label} and {o_label} were measured on different rig families or forms: they cannot be matched"
            )
        check_measurement(other)
        o_tgt, _ = _target_for(None, o_source, o_form, root)
        error = error - (
            other.at(grid) - o_tgt.at(grid)
        )  # make self's deviation from its target equal other's
        goal_text, own_harman = f"sound like the {o_label}", False
    p = PRESETS[preset].with_limits(max_gain_db, n_filters)
    goal = goal_from_error(error, grid, max_gain_db)
    if p.kind == "graphic":
        gf = graphic_frequencies()
        gains = np.interp(np.log(gf), np.log(grid), goal)
        text, filters, pre = export(p, [], (gf, gains))
        back_f, back_g = read_graphiceq(text)
        applied = np.interp(np.log(grid), np.log(back_f), back_g - pre)
    else:
        filters = fit_peq(list(p.specs), grid, goal, p.fs_hz)
        text, filters, pre = export(p, filters)
        validate_export(p, text, filters, pre)
        applied = response_db(filters, grid, p.fs_hz)
    band = (grid >= 20) & (grid <= 10000)
    remaining = float(np.sqrt(np.mean((applied - goal)[band] ** 2)))
    before_after = None
    if own_harman and form_ in ("over-ear", "in-ear"):
        score = over_ear_score if form_ == "over-ear" else in_ear_score
        eqd = FrequencyResponse(grid, fr.at(grid) + applied, label)
        before_after = {"before": round(score(fr, tgt), 1), "after_estimate": round(score(eqd, tgt), 1),
                        "caveat": "Harman's model was fitted on unequalized headphones: the after-EQ score is an estimate"}  # fmt: skip
    return {
        "headphone": label, "measurement_rig": RIG_OF_SOURCE.get(source or "", "unknown"), "goal": goal_text,
        "preset": preset, "app": p.title, "note": p.note, "fs_hz": p.fs_hz, "preamp_db": pre,
        "filters": [{"type": f.type, "fc_hz": f.fc_hz, "q": f.q, "gain_db": f.gain_db} for f in filters],
        "remaining_error_db": round(remaining, 2), "preference": before_after,
        "above_10khz": "held at the band's average level: measurements cannot resolve the response at the eardrum above 10 kHz",
        "file_text": text, "extension": p.extension,
        "curves": {"freq_hz": grid.tolist(), "raw_db": fr.at(grid).tolist(), "eq_db": applied.tolist(), "target_db": tgt.at(grid).tolist()},
    }  # fmt: skip
