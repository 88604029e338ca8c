"""Use cases over sources and amplifiers: drive, amps-for, chain, explain."""

from __future__ import annotations

from earwise.advice.chain import build_chain
from earwise.advice.drive import (
    DriveError,
    adhoc_source,
    device_output,
    headphone_drive,
    need_for,
)
from earwise.advice.drive import (
    amps_for as advice_amps_for,
)
from earwise.advice.engine import assumed_source_limits
from earwise.advice.spec_explain import explain_sheet, sheet_from_headphone
from earwise.advice.specs import parse_spec_sheet
from earwise.service import results as R
from earwise.service.app import Earwise
from earwise.service.defaults import DEFAULT_SOURCE_ID, assumed_source_note
from earwise.service.names import NotingView
from earwise.service.requests import (
    AmpsForRequest,
    ChainRequest,
    DriveRequest,
    ExplainRequest,
    NeedRequest,
)

CHAIN_KEYS = ("headphone", "links", "digital_bypass", "connection", "drive", "upgrade_first")


def _need(n: NeedRequest):
    return need_for(n.level, n.genre)


def drive(app: Earwise, req: DriveRequest) -> R.DriveReport:
    view = NotingView(app.view())
    h = view.headphone(req.headphone)
    assumptions: list[str] = []
    if req.vrms is not None:
        lim = adhoc_source(req.vrms, req.zout or 0.0, req.max_ma)
        label = lim.name
    else:
        if req.source is None:
            lim = assumed_source_limits(view)
            label = lim.name
            assumptions.append(assumed_source_note(view))
        else:
            d = view.device(req.source)
            lim, out_name = device_output(d, req.balanced)
            label = f"the {d.display_name} ({out_name})"
    data = headphone_drive(h, lim, label, _need(req.need), devices=list(view.devices.values()))
    extra = {"assumptions": assumptions} if assumptions else {}
    if view.notes:
        extra["name_notes"] = view.notes
    return R.DriveReport(**data, **extra)


def amps_for(app: Earwise, req: AmpsForRequest) -> R.AmpsForResult:
    view = NotingView(app.view())
    data = advice_amps_for(
        view.headphone(req.headphone), list(view.devices.values()), _need(req.need), req.budget
    )
    return R.AmpsForResult(**data, **({"name_notes": view.notes} if view.notes else {}))


def chain(app: Earwise, req: ChainRequest) -> R.ChainResult:
    view = NotingView(app.view())
    assumptions = []
    if req.source is None:
        source = view.devices[DEFAULT_SOURCE_ID]
        assumptions.append(assumed_source_note(view))
    else:
        source = view.device(req.source)
    data = build_chain(
        source, view.headphone(req.headphone), _need(req.need),
        view.device(req.dac) if req.dac else None, view.device(req.amp) if req.amp else None,
        list(view.devices.values()),
    )  # fmt: skip
    known = {k: data[k] for k in CHAIN_KEYS if k in data}
    extra = {k: v for k, v in data.items() if k not in CHAIN_KEYS}
    fields = known | {"extra": extra}
    if assumptions:
        fields["assumptions"] = assumptions
    if view.notes:
        fields["name_notes"] = view.notes
    return R.ChainResult(**fields)


def explain(app: Earwise, req: ExplainRequest) -> R.ExplainResult:
    view = NotingView(app.view())
    src = None
    if req.source:
        d = view.device(req.source)
        lim, out_name = device_output(d)
        src = (f"your {d.display_name} ({out_name})", lim)
    if req.name:
        h = view.headphone(req.name)
        sheet, label = sheet_from_headphone(h), h.display_name
    else:
        sheet, label = parse_spec_sheet(req.text or ""), "this headphone"
    data = explain_sheet(sheet, label, src, _need(req.need))
    keys = ("headphone", "items", "drive", "unread", "verdict")
    return R.ExplainResult(
        **{k: data[k] for k in keys}, extra={k: v for k, v in data.items() if k not in keys},
        name_notes=view.notes,
    )  # fmt: skip


__all__ = ["DriveError", "amps_for", "chain", "drive", "explain"]
