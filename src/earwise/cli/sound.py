"""Measured-sound commands: analyze, similar, plot, eq; measurements index; catalog enrich."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from earwise.cli.common import (
    AsJson,
    app,
    catalog_app,
    earwise_app,
    emit_json,
    measurements_app,
    note_names,
    out,
    read_input,
    user_errors,
    write_output,
)

MEASUREMENT_SUFFIXES = (".csv", ".txt", ".tsv", ".dat", ".frd")
TARGET_HELP = "harman (default), more-bass, less-bass, or a target CSV file"


def looks_like_file(what: str) -> bool:
    """A command-line value names a file (not a catalog name) when it exists on disk, contains
    a path separator, or ends in a measurement suffix."""
    return (
        os.sep in what
        or what.lower().endswith(MEASUREMENT_SUFFIXES)
        or (len(what) < 4096 and os.path.lexists(what))
    )


def upload_of(path_text: str, field: str = "file"):
    """(upload, rig, form) from a file the user named: read at the edge, capped, never blocking;
    rig and form read off an AutoEq-layout library path when it is one."""
    from earwise.service.measured import rig_form_from_path
    from earwise.service.requests import MeasurementUpload

    path = Path(path_text)
    text = read_input(path, field)
    rig, form = rig_form_from_path(path)
    return MeasurementUpload(text, path.name or "your measurement"), rig, form


def target_args(target: str | None) -> tuple[str | None, object]:
    """A preset name stays a name; anything else is a file read here."""
    if target is None or target in ("harman", "more-bass", "less-bass", "none"):
        return target, None
    if not looks_like_file(target):
        from earwise.core.errors import EarwiseError

        raise EarwiseError(
            f"target {target[:60]!r} is neither a preset (harman, more-bass, less-bass) nor a file",
            "target",
        )
    upload, _, _ = upload_of(target, "target")
    return None, upload


@app.command()
@user_errors
def analyze(
    what: Annotated[
        str,
        typer.Argument(
            help="a catalog name, or a measurement file (AutoEq CSV, REW or squig.link text)"
        ),
    ],
    target: Annotated[str | None, typer.Option(help=TARGET_HELP)] = None,
    rig: Annotated[
        str | None,
        typer.Option(
            help="for files: oratory1990, Rtings, Innerfidelity or 'Headphone.com Legacy'"
        ),
    ] = None,
    form: Annotated[str | None, typer.Option(help="for files: over-ear, in-ear or earbud")] = None,
    as_json: AsJson = False,
) -> None:
    """Score, band deviations and signature of a measurement, and what they mean in words."""
    from earwise import service
    from earwise.service.requests import AnalyzeRequest

    tname, tupload = target_args(target)
    if looks_like_file(what):
        upload, prig, pform = upload_of(what)
        req = AnalyzeRequest(None, upload, tname, tupload, rig or prig, form or pform)
    else:
        req = AnalyzeRequest(what, None, tname, tupload)
    analysis = service.analyze(earwise_app(), req)
    note_names(analysis)
    data = analysis.to_json()
    if as_json:
        emit_json(data)
        return
    score = f"{data['preference_score']:g}" if data["preference_score"] is not None else "-"
    out.print(
        f"[bold]{data['name']}[/bold]  ({data['rig']}, target {data['target']})", highlight=False
    )
    out.print(
        f"  Harman predicted preference: {score}"
        + (f"  ({data['score_note']})" if data.get("score_note") else ""),
        highlight=False,
    )
    b = data["bands_db"]
    out.print(
        "  "
        + ", ".join(
            f"{k.replace('_', ' ')} {b[k]:+.1f}"
            for k in ("sub_bass", "bass", "low_mids", "mids", "presence", "treble", "air")
        )
        + f" dB; tilt {b['tilt_db_per_octave']:+.2f} dB/oct",
        highlight=False,
    )
    for line in data["meaning"]:
        out.print(f"  {line}", highlight=False)


@app.command()
@user_errors
def similar(
    name: Annotated[str, typer.Argument(help="a measured catalog headphone")],
    top: Annotated[int, typer.Option(help="how many (1-50)")] = 5,
    as_json: AsJson = False,
) -> None:
    """Headphones that sound closest to this one (error curves on the same rig family)."""
    from earwise import service
    from earwise.service.requests import SimilarRequest

    result = service.similar(earwise_app(), SimilarRequest(name, top))
    note_names(result)
    if as_json:
        emit_json(result.to_json())
        return
    out.print(
        f"[bold]Closest to the {result.name}[/bold] ({result.measurement}), among {result.scope}:",
        highlight=False,
    )
    for i, s in enumerate(result.similar, start=1):
        out.print(
            f"  {i}. {s.label}  {s.distance_db:.2f} dB RMS  [{s.measurement}]",
            highlight=False,
            markup=False,  # the measurement in brackets is text, not rich markup
        )
        if s.trade_off:
            out.print(f"     {s.trade_off}", highlight=False)


def _format_of(path: Path, field: str) -> str:
    from earwise.core.errors import EarwiseError

    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise EarwiseError(f"plot output must end in .svg or .png, not {path.name!r}", field)
    return suffix[1:]


@app.command()
@user_errors
def plot(
    what: Annotated[list[str], typer.Argument(help="catalog names or measurement files")],
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.svg or FILE.png")],
    target: Annotated[str | None, typer.Option(help=TARGET_HELP + ", or 'none'")] = None,
) -> None:
    """Overlay responses with the target (log frequency in Hz, level in dB)."""
    from earwise import service
    from earwise.core.files import check_output_path
    from earwise.service.requests import PlotRequest

    fmt = _format_of(output, "output")
    check_output_path(output)
    names, uploads = [], []
    for w in what:
        if looks_like_file(w):
            uploads.append(upload_of(w)[0])
        else:
            names.append(w)
    tname, tupload = target_args(target)
    result = service.plot(earwise_app(), PlotRequest(names, uploads, tname, tupload, fmt))
    write_output(output, result.content)
    out.print(f"wrote {output}")


@app.command()
@user_errors
def eq(
    what: Annotated[str, typer.Argument(help="a measured catalog headphone or a measurement file")],
    target: Annotated[str | None, typer.Option(help=TARGET_HELP)] = None,
    preset: Annotated[
        str,
        typer.Option(help="apo, graphiceq, poweramp, qudelix, uapp, rockbox, graphic10, spotify"),
    ] = "apo",
    like: Annotated[
        str | None, typer.Option(help="make it sound like this headphone instead")
    ] = None,
    max_gain: Annotated[float, typer.Option(help="largest boost allowed (dB, 0-20)")] = 6.0,
    filters: Annotated[
        int | None, typer.Option(help="number of filters (parametric presets)")
    ] = None,
    rig: Annotated[
        str | None, typer.Option(help="for files: the measuring rig (oratory1990, Rtings, ...)")
    ] = None,
    form: Annotated[str | None, typer.Option(help="for files: over-ear, in-ear or earbud")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="write the app's file here")
    ] = None,
    plot_file: Annotated[
        Path | None, typer.Option("--plot", help="FILE.svg: before, after and target")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Fit a parametric EQ to a target (or to another headphone) and write it in an app's syntax."""
    from rich.table import Table

    from earwise import service
    from earwise.core.files import check_output_path
    from earwise.service.requests import EqRequest
    from earwise.service.sound import eq_plot

    for p, field in ((output, "output"), (plot_file, "plot")):
        if p is not None:
            check_output_path(p, field)
    plot_fmt = _format_of(plot_file, "plot") if plot_file is not None else None
    tname, tupload = target_args(target)
    if looks_like_file(what):
        upload, prig, pform = upload_of(what)
        req = EqRequest(None, upload, tname, tupload, preset, like, max_gain, filters,
                        rig or prig, form or pform)  # fmt: skip
    else:
        req = EqRequest(what, None, tname, tupload, preset, like, max_gain, filters, rig, form)
    result = service.eq(earwise_app(), req)
    note_names(result)
    if output is not None:
        write_output(output, result.file_text)
    if plot_file is not None:
        write_output(plot_file, eq_plot(result, plot_fmt), "plot")
    if as_json:
        emit_json(result.to_json())
        return
    out.print(
        f"[bold]{result.headphone}[/bold] EQ for {result.app} ({result.note}), goal: {result.goal}",
        highlight=False,
    )
    table = Table("#", "Type", "Fc (Hz)", "Q", "Gain (dB)")
    for i, f_ in enumerate(result.filters, start=1):
        table.add_row(str(i), f_.type, f"{f_.fc_hz:g}", f"{f_.q:.2f}", f"{f_.gain_db:+.1f}")
    if result.filters:
        out.print(table)
    out.print(
        f"Preamp {result.preamp_db:+.1f} dB; remaining error {result.remaining_error_db:.2f} dB RMS (20 Hz-10 kHz); above 10 kHz: {result.above_10khz}.",
        highlight=False,
    )
    if result.preference:
        p = result.preference
        out.print(
            f"Harman predicted preference {p['before']:g} -> about {p['after_estimate']:g} ({p['caveat']}).",
            highlight=False,
        )
    if output is not None:
        out.print(f"wrote {output}")
    else:
        out.print(result.file_text, highlight=False, markup=False)


Force = Annotated[
    bool, typer.Option("--force", help="accept a result that drops most of what exists")
]


@measurements_app.command("index")
@user_errors
def measurements_index(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="library folder (default: $EARWISE_MEASUREMENTS or ../shared/measurements)"
        ),
    ] = None,
    force: Force = False,
    as_json: AsJson = False,
) -> None:
    """Scan a measurement library into the store (only new or changed files are read)."""
    from rich.console import Console
    from rich.progress import Progress

    from earwise import service
    from earwise.service.requests import IndexRequest

    with Progress(console=Console(stderr=True), transient=True, disable=as_json) as bar:
        task = bar.add_task("analysing", total=None)
        result = service.measurements_index(
            earwise_app(), IndexRequest(str(path) if path else None, force),
            progress=lambda n: bar.advance(task, n),
            on_total=lambda total: bar.update(task, total=total),
        )  # fmt: skip
    if as_json:
        emit_json(result.to_json())
        return
    c = result
    out.print(
        f"{c.files} measurements: {c.read} read, {c.unchanged} unchanged, "
        f"{c.removed} removed, {c.problems} unreadable; "
        f"{c.linked_products} catalog headphones linked, "
        f"{c.unmatched_measurements} measurements of products not in the catalog"
    )


@catalog_app.command("enrich")
@user_errors
def catalog_enrich(
    measurements: Annotated[
        Path | None,
        typer.Option(
            help="measurements folder (default: $EARWISE_MEASUREMENTS or ../shared/measurements)"
        ),
    ] = None,
    force: Force = False,
) -> None:
    """Store measurement-derived numbers (score, bands, signature, rig) in the catalog data."""
    from earwise import service
    from earwise.service.requests import EnrichRequest

    result = service.catalog_enrich(
        earwise_app(), EnrichRequest(str(measurements) if measurements else None, force)
    )
    out.print(f"enriched {result.enriched} headphones from {result.root}")
