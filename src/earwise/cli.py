"""earwise command line: thin Typer commands over the service functions."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from earwise.advice.best import best_list, category_names
from earwise.advice.engine import NoMatchError
from earwise.advice.profile import ProfileError
from earwise.advice.vocab import VocabularyError
from earwise.catalog import store
from earwise.catalog.loader import CatalogError
from earwise.catalog.view import CatalogView, UnknownProductError, get_view
from earwise.service.views import (
    compare_json,
    kit_json,
    parse_budget,
    profile_from_options,
    recommend_json,
    show_json,
)

app = typer.Typer(
    help="earwise: a headphone advisor that computes its answers and shows its reasons.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
catalog_app = typer.Typer(
    help="The catalog: counts, rebuild, measured features.", no_args_is_help=True
)
app.add_typer(catalog_app, name="catalog")
out = Console(soft_wrap=False, width=120)

from earwise.acoustics.io import MeasurementError  # noqa: E402
from earwise.advice.ask import AskError  # noqa: E402
from earwise.advice.drive import DriveError  # noqa: E402
from earwise.advice.specs import SpecError  # noqa: E402
from earwise.service.measured import MeasuredError  # noqa: E402

USER_ERRORS = (
    ProfileError, VocabularyError, UnknownProductError, NoMatchError, CatalogError,
    MeasurementError, MeasuredError, DriveError, SpecError, AskError,
)  # fmt: skip


def fail(message: str) -> None:
    """One readable line on stderr, exit code 2."""
    sys.stderr.write("error: " + " ".join(message.split()) + "\n")
    raise typer.Exit(2)


def user_errors(fn):
    """Turn expected errors into one readable line and exit code 2; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except USER_ERRORS as exc:
            fail(str(exc))
        except typer.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - last resort: a line, not a traceback
            sys.stderr.write(
                f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())}\n"
            )
            raise typer.Exit(1) from None

    return wrapper


def view() -> CatalogView:
    return get_view()


def emit_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_points(good: list[str], bad: list[str], indent: str, bad_mark: str) -> None:
    """Reasons/pros as green '+', warnings/cons with ``bad_mark``."""
    for line in good:
        out.print(f"{indent}[green]+[/green] {line}", highlight=False)
    for line in bad:
        out.print(f"{indent}{bad_mark} {line}", highlight=False)


# --- shared profile options ---------------------------------------------------------------

Genre = Annotated[
    list[str], typer.Option("--genre", "-g", help="GENRE[:SHARE], repeatable (e.g. rock:20)")
]
Use = Annotated[
    list[str],
    typer.Option(
        "--use",
        "-u",
        help="place or use, repeatable (home, shared-office, commute, plane, library, gym, gaming, studio-mixing, calls, ...)",
    ),
]
Platform = Annotated[
    list[str],
    typer.Option(
        "--platform",
        "-p",
        help="pc, mac, ps5, xbox, switch, iphone, android, steam-deck; repeatable",
    ),
]
Budget = Annotated[str | None, typer.Option("--budget", help="budget in USD")]


# --- commands -----------------------------------------------------------------------------


@app.command()
@user_errors
def recommend(
    genre: Genre = [],
    use: Use = [],
    platform: Platform = [],
    budget: Budget = None,
    budget_includes_amp: Annotated[
        bool, typer.Option(help="the budget also pays for an amp/DAC when one is needed")
    ] = False,
    min_price: Annotated[
        float | None, typer.Option(min=0, help="lower end of a price range (USD)")
    ] = None,
    source: Annotated[str | None, typer.Option(help="your source or amp, by catalog name")] = None,
    source_vrms: Annotated[
        float | None, typer.Option(help="ad-hoc source: max output (Vrms)")
    ] = None,
    source_zout: Annotated[
        float | None, typer.Option(help="ad-hoc source: output impedance (ohm)")
    ] = None,
    form: Annotated[str | None, typer.Option(help="over-ear, on-ear, in-ear or earbud")] = None,
    back: Annotated[str | None, typer.Option(help="open, closed or semi-open")] = None,
    wireless: Annotated[bool, typer.Option("--wireless", help="wireless only")] = False,
    wired: Annotated[bool, typer.Option("--wired", help="wired only")] = False,
    anc: Annotated[bool, typer.Option("--anc", help="must have active noise cancelling")] = False,
    mic: Annotated[bool, typer.Option("--mic", help="must have a microphone")] = False,
    no_amp: Annotated[
        bool, typer.Option("--no-amp", help="must play loud enough from your source alone")
    ] = False,
    no_leak: Annotated[bool, typer.Option("--no-leak", help="must not leak sound")] = False,
    max_weight: Annotated[float | None, typer.Option(help="maximum weight (g)")] = None,
    glasses: Annotated[bool, typer.Option("--glasses", help="you wear glasses")] = False,
    head: Annotated[str | None, typer.Option(help="small or large head")] = None,
    long_sessions: Annotated[
        bool, typer.Option("--long-sessions", help="comfort for day-long use matters")
    ] = False,
    bass: Annotated[str | None, typer.Option(help="more or less bass than neutral")] = None,
    treble_sensitive: Annotated[
        bool, typer.Option("--treble-sensitive", help="sensitive to bright treble")
    ] = False,
    tonality: Annotated[str | None, typer.Option(help="warm, neutral or bright")] = None,
    soundstage: Annotated[
        bool, typer.Option("--soundstage", help="a wide soundstage matters")
    ] = False,
    level: Annotated[
        str, typer.Option(help="listening level: quiet, normal, loud or dB SPL")
    ] = "normal",
    owned: Annotated[
        list[str], typer.Option("--owned", help="headphones you already own (repeatable)")
    ] = [],
    top: Annotated[int, typer.Option(min=1, max=50, help="how many to show")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Ranked headphones for your music, places, platforms, source and budget, with reasons."""
    v = view()
    owned_ids = [v.resolve(name, "headphone")[0] for name in owned]
    profile = profile_from_options(
        genre=genre,
        uses=use,
        platforms=platform,
        budget=budget,
        budget_includes_amp=budget_includes_amp,
        budget_min_usd=min_price,
        source=source,
        source_vrms=source_vrms,
        source_zout_ohm=source_zout,
        form=form,
        back=back,
        wireless=wireless,
        wired=wired,
        anc=anc,
        mic=mic,
        no_amp=no_amp,
        no_leak=no_leak,
        max_weight_g=max_weight,
        glasses=glasses,
        head_size=head,
        long_sessions=long_sessions,
        bass=bass,
        treble_sensitive=treble_sensitive,
        tonality=tonality,
        soundstage=soundstage,
        level=level,
        owned=owned_ids,
    )
    data, _ = recommend_json(v, profile, top)
    if as_json:
        emit_json(data)
        return
    shares = ", ".join(f"{g} {s:.0%}" for g, s in profile.genre_shares.items())
    out.print(
        f"[bold]earwise[/bold]: {data['considered']} headphones fit your constraints. Music: {shares}."
    )
    for note in data["notes"]:
        out.print(f"[dim]{note}[/dim]")
    for r in data["recommendations"]:
        price = f"${r['total_price_usd']:,.0f}" if r["total_price_usd"] else "price unknown"
        amp = f" + {r['amp']['brand']} {r['amp']['model']}" if r["amp"] else ""
        out.print(
            f"\n[bold]{r['rank']}. {r['brand']} {r['model']}[/bold]{amp}  {price}  score {r['score']:.1f}"
        )
        out.print(
            f"   {r['form_factor']}, {r['back']} back, {'wireless' if r['wireless'] else 'wired'}",
            highlight=False,
        )
        print_points(r["reasons"], r["warnings"], "   ", "[yellow]![/yellow]")


@app.command()
@user_errors
def show(
    name: Annotated[str, typer.Argument(help="product name or alias (fuzzy)")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """One product: specs, platforms, sound, and where every fact came from."""
    v = view()
    pid, kind = v.resolve(name)
    if kind == "source":
        data = v.devices[pid].model_dump(mode="json")
        if as_json:
            emit_json(data)
            return
        out.print(f"[bold]{data['brand']} {data['model']}[/bold] ({data['category']})")
        for o in data["outputs"]:
            out.print(
                f"  output {o['name']} ({o['kind']}): ratings {o['ratings'] or 'unknown'}, Zout {o['zout_ohm']} ohm",
                highlight=False,
            )
        for s in data["sources"]:
            out.print(f"  source: {s['title']} [{', '.join(s['covers'])}]", highlight=False)
        return
    h = v.headphones[pid]
    data = show_json(v, h)
    if as_json:
        emit_json(data)
        return
    out.print(f"[bold]{h.brand} {h.model}[/bold]" + (" (discontinued)" if h.discontinued else ""))
    cmp = compare_json(v, [h])
    table = Table(show_header=False, box=None)
    for row in cmp["rows"]:
        table.add_row(row["label"], row["values"][0])
    out.print(table)
    for p, via in data["platform_support"].items():
        if via:
            out.print(f"  {p}: {via}", highlight=False)
    out.print("[bold]Sources[/bold]")
    for s in h.sources:
        url = f" <{s.url}>" if s.url else ""
        out.print(f"  {s.kind}: {s.title}{url} [{', '.join(s.covers)}]", highlight=False)


@app.command()
@user_errors
def search(
    form: Annotated[str | None, typer.Option(help="over-ear, on-ear, in-ear, earbud")] = None,
    back: Annotated[str | None, typer.Option(help="open, closed, semi-open")] = None,
    wireless: Annotated[
        bool | None, typer.Option("--wireless/--wired", help="wireless or wired only")
    ] = None,
    anc: Annotated[bool | None, typer.Option("--anc/--no-anc")] = None,
    mic: Annotated[bool | None, typer.Option("--mic/--no-mic")] = None,
    platform: Annotated[str | None, typer.Option(help="works with this platform")] = None,
    signature: Annotated[str | None, typer.Option(help="sound signature label")] = None,
    brand: Annotated[str | None, typer.Option()] = None,
    max_price: Annotated[float | None, typer.Option(min=0)] = None,
    min_price: Annotated[float | None, typer.Option(min=0)] = None,
    current: Annotated[bool, typer.Option("--current", help="hide discontinued models")] = False,
    sort: Annotated[str, typer.Option(help=f"one of {', '.join(store.SORTABLE)}")] = "price",
    desc: Annotated[bool, typer.Option("--desc", help="sort descending")] = False,
    limit: Annotated[int | None, typer.Option(min=1)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """A table of the catalog, filtered and sorted."""
    from earwise.advice.vocab import resolve_platform

    if sort not in store.SORTABLE:
        raise ProfileError(f"unknown sort field {sort!r}; valid: {', '.join(store.SORTABLE)}")
    conn = store.connect()
    rows = store.search_headphones(
        conn,
        form=form,
        back=back,
        wireless=wireless,
        anc=anc,
        mic=mic,
        platform=resolve_platform(platform) if platform else None,
        signature=signature,
        brand=brand,
        max_price=max_price,
        min_price=min_price,
        include_discontinued=not current,
        sort=sort,
        descending=desc,
        limit=limit,
    )
    cols = store.LIST_COLUMNS
    data = [{c: r[c] for c in cols} for r in rows]
    if as_json:
        emit_json(data)
        return
    table = Table(
        "Brand", "Model", "Price", "Form", "Back", "Wireless", "ANC", "Mic", "Signature", "Score"
    )
    for r in data:
        table.add_row(
            r["brand"],
            r["model"],
            "-" if r["price_usd"] is None else f"${r['price_usd']:,.0f}",
            r["form_factor"],
            r["back"],
            "yes" if r["wireless"] else "no",
            {1: "yes", 0: "no", None: "-"}[r["anc"]],
            r["mic"],
            r["signature"] or "-",
            "-" if r["preference_score"] is None else f"{r['preference_score']:.0f}",
        )
    out.print(table)
    out.print(f"{len(data)} headphones")


@app.command()
@user_errors
def compare(
    names: Annotated[list[str], typer.Argument(help="two to four product names")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Specs side by side; differences highlighted."""
    if not 2 <= len(names) <= 4:
        raise ProfileError("compare takes two to four products")
    v = view()
    data = compare_json(v, [v.headphone(n) for n in names])
    if as_json:
        emit_json(data)
        return
    table = Table("", *[f"{p['brand']} {p['model']}" for p in data["products"]])
    for row in data["rows"]:
        style = "bold yellow" if row["differs"] else None
        table.add_row(row["label"], *row["values"], style=style)
    out.print(table)
    out.print("[dim]rows in yellow differ[/dim]")


@app.command()
@user_errors
def kit(
    genre: Genre = [],
    use: Use = [],
    platform: Platform = [],
    budget: Budget = None,
    source: Annotated[str | None, typer.Option(help="your source, by catalog name")] = None,
    form: Annotated[str | None, typer.Option()] = None,
    back: Annotated[str | None, typer.Option()] = None,
    wireless: Annotated[bool, typer.Option("--wireless")] = False,
    wired: Annotated[bool, typer.Option("--wired")] = False,
    no_leak: Annotated[bool, typer.Option("--no-leak")] = False,
    max_items: Annotated[int, typer.Option(min=1, max=3, help="at most this many headphones")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Rule #3: the best set of one to three headphones (plus an amp if needed) for one budget."""
    v = view()
    profile = profile_from_options(
        genre=genre,
        uses=use,
        platforms=platform,
        budget=budget,
        source=source,
        form=form,
        back=back,
        wireless=wireless,
        wired=wired,
        no_leak=no_leak,
    )
    if profile.budget_usd is None:
        raise ProfileError("kit needs --budget (the total for headphones and any amp)")
    data = kit_json(v, profile, max_items)
    if as_json:
        emit_json(data)
        return
    for title, k in (("Best kit", data["best"]), ("Best single headphone", data["best_single"])):
        out.print(f"\n[bold]{title}[/bold]: ${k['total_price_usd']:,.0f}, score {k['score']:.1f}")
        for i in k["items"]:
            covers = f" for {', '.join(i['genres'])}" if i["genres"] else ""
            out.print(f"  - {i['label']} (${i['price_usd']:,.0f}){covers}", highlight=False)
        if k["amp"]:
            out.print(
                f"  - amp: {k['amp']['label']} (${k['amp']['price_usd']:,.0f})", highlight=False
            )
        cov = ", ".join(f"{g} {c:.0%}" for g, c in k["coverage"].items())
        out.print(f"  genre coverage: {cov}", highlight=False)
    gain = data["best"]["score"] - data["best_single"]["score"]
    out.print(
        f"\nThe kit scores {gain:+.1f} points against the best single headphone for the same budget."
    )


@app.command()
@user_errors
def best(
    category: Annotated[
        str | None, typer.Argument(help=f"one of: {', '.join(category_names())} (default: all)")
    ] = None,
    under: Annotated[float | None, typer.Option(min=1, help="price ceiling in USD")] = None,
    gaming: Annotated[
        bool, typer.Option("--gaming", help="gaming headsets only (with a microphone)")
    ] = False,
    top: Annotated[int, typer.Option(min=1, max=10)] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Best-of lists with pros and cons derived from catalog facts."""
    cats = category_names()
    if category is not None and category not in cats:
        raise ProfileError(f"unknown category {category!r}; valid: {', '.join(cats)}")
    v = view()
    base = {"mic": True, "uses": ["gaming"]} if gaming else {}
    lists = []
    for c in [category] if category else [c for c in cats if c != "under"]:
        try:
            lists.append(best_list(v, c, top, under, base))
        except NoMatchError as exc:
            lists.append({"category": c, "title": c, "picks": [], "note": str(exc)})
    if as_json:
        emit_json(lists)
        return
    for lst in lists:
        out.print(f"\n[bold]{lst['title']}[/bold]")
        if not lst["picks"]:
            out.print(f"  (none: {lst.get('note', '')})", highlight=False)
        for p in lst["picks"]:
            price = f"${p['price_usd']:,.0f}" if p["price_usd"] else "price unknown"
            out.print(
                f"  {p['rank']}. {p['brand']} {p['model']} ({price}, score {p['score']:.1f})",
                highlight=False,
            )
            print_points(p["pros"], p["cons"], "     ", "[red]-[/red]")


@catalog_app.command("stats")
@user_errors
def catalog_stats(
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Counts by form, back, driver type and price band; sources and amps."""
    conn = store.connect()
    data = store.stats(conn)
    if as_json:
        emit_json(data)
        return
    out.print(
        f"{data['headphones']} headphones ({data['measured']} measured, {data['discontinued']} discontinued), "
        f"{data['sources_and_amps']} sources and amplifiers"
    )
    for key in ("by_form", "by_back", "by_driver", "by_price_band", "by_source_category"):
        out.print(
            f"  {key.removeprefix('by_').replace('_', ' ')}: "
            + ", ".join(f"{k} {n}" for k, n in data[key].items()),
            highlight=False,
        )


@catalog_app.command("rebuild")
@user_errors
def catalog_rebuild() -> None:
    """Rebuild the SQLite store from the data files now."""
    path = store.default_db_path()
    store.build_store(path)
    out.print(f"rebuilt {path}")


@catalog_app.command("enrich")
@user_errors
def catalog_enrich(
    measurements: Annotated[
        Path | None,
        typer.Option(
            help="measurements folder (default: $EARWISE_MEASUREMENTS or ../shared/measurements)"
        ),
    ] = None,
) -> None:
    """Store measurement-derived numbers (score, bands, signature, rig) in the catalog data."""
    from earwise.acoustics.io import measurements_dir
    from earwise.catalog.derive import derive_all, write_derived
    from earwise.catalog.loader import load_catalog

    root = measurements or measurements_dir()
    if not root.is_dir():
        raise CatalogError(f"measurements folder not found: {root}")
    derived = derive_all(load_catalog(), root)
    write_derived(derived)
    out.print(f"enriched {len(derived)} headphones from {root}")


measurements_app = typer.Typer(
    help="The measurement library: index it into the store.", no_args_is_help=True
)
app.add_typer(measurements_app, name="measurements")


@measurements_app.command("index")
@user_errors
def measurements_index(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="library folder (default: $EARWISE_MEASUREMENTS or ../shared/measurements)"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Scan a measurement library into the store (only new or changed files are read)."""
    from rich.progress import Progress

    from earwise.acoustics.io import measurements_dir
    from earwise.catalog.linking import link
    from earwise.catalog.measurement_index import index_library

    root = path or measurements_dir()
    if not root.is_dir():
        raise CatalogError(f"measurements folder not found: {root}")
    conn = store.connect()
    with Progress(console=Console(stderr=True), transient=True, disable=as_json) as bar:
        task = bar.add_task("analysing", total=None)
        counts = index_library(
            conn, root, progress=lambda n: bar.advance(task, n),
            on_total=lambda total: bar.update(task, total=total),
        )  # fmt: skip
    refs = [r for (r,) in conn.execute("SELECT ref FROM measurements")]
    linked, unmatched = link(view().headphones.values(), refs)
    counts |= {"linked_products": len(linked), "unmatched_measurements": len(unmatched)}
    if as_json:
        emit_json(counts)
        return
    out.print(
        f"{counts['files']} measurements: {counts['read']} read, {counts['unchanged']} unchanged, "
        f"{counts['removed']} removed, {counts['problems']} unreadable; "
        f"{counts['linked_products']} catalog headphones linked, "
        f"{counts['unmatched_measurements']} measurements of products not in the catalog"
    )


@app.command()
@user_errors
def analyze(
    what: Annotated[
        str,
        typer.Argument(
            help="a catalog name, or a measurement file (AutoEq CSV, REW or squig.link text)"
        ),
    ],
    target: Annotated[
        str | None, typer.Option(help="harman (default), more-bass, less-bass, or a target CSV")
    ] = None,
    rig: Annotated[
        str | None,
        typer.Option(
            help="for files: oratory1990, Rtings, Innerfidelity or 'Headphone.com Legacy'"
        ),
    ] = None,
    form: Annotated[str | None, typer.Option(help="for files: over-ear, in-ear or earbud")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Score, band deviations and signature of a measurement, and what they mean in words."""
    from earwise.service.measured import analyze_json

    data = analyze_json(view(), what, target, rig, form)
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
    top: Annotated[int, typer.Option(min=1, max=50)] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Headphones that sound closest to this one (error curves on the same rig family)."""
    from earwise.service.measured import similar_json

    data = similar_json(view(), name, top)
    if as_json:
        emit_json(data)
        return
    out.print(
        f"[bold]Closest to the {data['name']}[/bold] ({data['measurement']}), among {data['scope']}:",
        highlight=False,
    )
    for i, s in enumerate(data["similar"], start=1):
        out.print(
            f"  {i}. {s['label']}  {s['distance_db']:.2f} dB RMS  [{s['measurement']}]",
            highlight=False,
        )


@app.command()
@user_errors
def plot(
    what: Annotated[list[str], typer.Argument(help="catalog names or measurement files")],
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.svg or FILE.png")],
    target: Annotated[
        str | None,
        typer.Option(help="harman (default), more-bass, less-bass, a target CSV, or 'none'"),
    ] = None,
) -> None:
    """Overlay responses with the target (log frequency in Hz, level in dB)."""
    from earwise.acoustics.plot import write_plot
    from earwise.service.measured import curves_for_plot, plot_target

    curves, source, form = curves_for_plot(view(), what)
    tgt = None if target == "none" else plot_target(target, source, form)
    try:
        write_plot(output, curves, tgt, " vs ".join(c.name for c in curves))
    except ValueError as exc:
        raise ProfileError(str(exc)) from None
    out.print(f"wrote {output}")


# --- drive, amps, chain, explain -------------------------------------------------------------

Level = Annotated[
    str, typer.Option(help="listening level: quiet (70), normal (80), loud (90) or dB SPL")
]
Genres = Annotated[
    list[str],
    typer.Option("--genre", "-g", help="genre(s): the largest crest factor sets the peaks"),
]


def print_drive(d: dict) -> None:
    if d.get("reachable_peak_db_spl") is not None:
        out.print(
            f"  peak reachable {d['reachable_peak_db_spl']:.1f} dB SPL, needed {d['needed_peak_db_spl']:.1f} "
            f"({d['why_needed']}), headroom {d['headroom_db']:+.1f} dB, {d['limited_by']}-limited",
            highlight=False,
        )
        out.print(
            f"  needs {d['needed_vrms']:.3f} Vrms = {d['needed_mw']:g} mW = {d['needed_ma']:g} mA at the peaks; "
            f"output impedance costs {d['zout_level_loss_db']:+.2f} dB"
            + (
                f", shifts the response {d['zout_fr_deviation_db']:+.2f} dB"
                if "zout_fr_deviation_db" in d
                else ""
            ),
            highlight=False,
        )
    out.print(f"  [bold]{d['verdict']}[/bold]", highlight=False)


@app.command()
@user_errors
def drive(
    headphone: Annotated[str, typer.Argument(help="a catalog headphone")],
    source: Annotated[str | None, typer.Option(help="a catalog source or amp")] = None,
    vrms: Annotated[float | None, typer.Option(help="ad-hoc source: maximum output (Vrms)")] = None,
    zout: Annotated[float, typer.Option(help="ad-hoc source: output impedance (ohm)")] = 0.0,
    max_ma: Annotated[float | None, typer.Option(help="ad-hoc source: current limit (mA)")] = None,
    level: Level = "normal",
    genre: Genres = [],
    balanced: Annotated[
        bool, typer.Option("--balanced", help="use the source's balanced output")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Can this source drive this headphone? Peak level, headroom, limit, output-impedance effect."""
    from earwise.advice.drive import adhoc_source, device_output, headphone_drive, need_for

    v = view()
    h = v.headphone(headphone)
    if (source is None) == (vrms is None):
        raise ProfileError("give either --source NAME or --vrms V (with --zout OHM)")
    if vrms is not None:
        lim = adhoc_source(vrms, zout, max_ma)
        label = lim.name
    else:
        d = v.device(source)
        lim, out_name = device_output(d, balanced)
        label = f"the {d.brand} {d.model} ({out_name})"
    data = headphone_drive(h, lim, label, need_for(level, genre))
    if as_json:
        emit_json(data)
        return
    out.print(f"[bold]{data['headphone']}[/bold] on {data['source']}", highlight=False)
    print_drive(data)


@app.command("amps-for")
@user_errors
def amps_for_cmd(
    headphone: Annotated[str, typer.Argument(help="a catalog headphone")],
    budget: Budget = None,
    level: Level = "normal",
    genre: Genres = [],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Sources and amplifiers in the catalog that drive it with headroom, cheapest first."""
    from earwise.advice.drive import amps_for, need_for

    v = view()
    data = amps_for(
        v.headphone(headphone),
        list(v.devices.values()),
        need_for(level, genre),
        parse_budget(budget),
    )
    if as_json:
        emit_json(data)
        return
    if data.get("electrostatic"):
        out.print(
            f"[bold]{data['headphone']}[/bold] is electrostatic: it needs an energizer.",
            highlight=False,
        )
        for e in data["energizers"]:
            out.print(
                f"  - {e['label']} (bias {', '.join(f'{b:g} V' for b in e['bias_v'])}): {e['how']}",
                highlight=False,
            )
        return
    out.print(
        f"[bold]{data['headphone']}[/bold]: peaks of {data['needed_peak_db_spl']:g} dB SPL needed ({data['why_needed']})",
        highlight=False,
    )
    table = Table("Source / amp", "Kind", "Price", "Output", "Headroom")
    for r in data["amps"]:
        price = "-" if r["price_usd"] is None else f"${r['price_usd']:,.0f}"
        table.add_row(
            r["label"] + (" (discontinued)" if r["discontinued"] else ""),
            r["category"],
            price,
            r["output"],
            f"{r['headroom_db']:+.1f} dB",
        )
    out.print(table)
    out.print(
        f"{data['without_output_figures']} devices in the catalog publish no output figures and were not checked."
    )


@app.command()
@user_errors
def chain(
    source: Annotated[
        str, typer.Option(help="the source: phone, laptop, player, console controller")
    ],
    headphone: Annotated[str, typer.Option(help="the headphone")],
    dac: Annotated[str | None, typer.Option(help="an external DAC")] = None,
    amp: Annotated[str | None, typer.Option(help="an amplifier, DAC/amp or energizer")] = None,
    level: Level = "normal",
    genre: Genres = [],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The whole signal chain: each link's role, the connection, power margin, what to upgrade first."""
    from earwise.advice.chain import build_chain
    from earwise.advice.drive import need_for

    v = view()
    data = build_chain(
        v.device(source), v.headphone(headphone), need_for(level, genre),
        v.device(dac) if dac else None, v.device(amp) if amp else None, list(v.devices.values()),
    )  # fmt: skip
    if as_json:
        emit_json(data)
        return
    for i, link in enumerate(data["links"], start=1):
        out.print(
            f"{i}. [bold]{link['label']}[/bold] ({link['role']}): {link['note']}", highlight=False
        )
    out.print(f"{len(data['links']) + 1}. [bold]{data['headphone']}[/bold]", highlight=False)
    out.print(f"Connection: {data['connection']['how']}", highlight=False)
    print_drive(data["drive"])
    up = data["upgrade_first"]
    out.print(f"Upgrade first: [bold]{up['link']}[/bold]: {up['why']}", highlight=False)


@app.command()
@user_errors
def explain(
    name: Annotated[str | None, typer.Argument(help="a catalog headphone")] = None,
    text: Annotated[str | None, typer.Option(help="a pasted spec sheet")] = None,
    file: Annotated[Path | None, typer.Option(help="a spec sheet in a text file")] = None,
    source: Annotated[str | None, typer.Option(help="your source, by catalog name")] = None,
    level: Level = "normal",
    genre: Genres = [],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """A spec sheet in plain words: what each figure means for you, and what it does not mean."""
    from earwise.advice.drive import device_output, need_for
    from earwise.advice.spec_explain import explain_sheet, sheet_from_headphone
    from earwise.advice.specs import parse_spec_sheet

    if sum(x is not None for x in (name, text, file)) != 1:
        raise ProfileError('give one of: a catalog NAME, --text "..." or --file F')
    v = view()
    src = None
    if source:
        d = v.device(source)
        lim, out_name = device_output(d)
        src = (f"your {d.brand} {d.model} ({out_name})", lim)
    if name:
        h = v.headphone(name)
        sheet, label = sheet_from_headphone(h), f"{h.brand} {h.model}"
    else:
        if file is not None:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise SpecError(f"cannot read {file}: {exc}") from None
        sheet, label = parse_spec_sheet(text or ""), "this headphone"
    data = explain_sheet(sheet, label, src, need_for(level, genre))
    if as_json:
        emit_json(data)
        return
    out.print(f"[bold]{data['headphone']}[/bold]", highlight=False)
    for it in data["items"]:
        title = it["spec"] if it["spec"].isupper() else it["spec"].capitalize()
        out.print(f"\n[bold]{title}[/bold]: {it['value']}", highlight=False)
        out.print(f"  means: {it['means']}", highlight=False)
        out.print(f"  for you: {it['for_you']}", highlight=False)
        for f in it["flags"]:
            out.print(f"  [yellow]![/yellow] {f}", highlight=False)
    for d in data["drive"]:
        out.print(f"\n[bold]Drive from {d['source']}[/bold]", highlight=False)
        print_drive(d)
    if data["unread"]:
        out.print("\nNot understood: " + " | ".join(data["unread"]), highlight=False)
    out.print(f"\n[bold]Verdict[/bold]: {data['verdict']}", highlight=False)


@app.command()
@user_errors
def eq(
    what: Annotated[str, typer.Argument(help="a measured catalog headphone or a measurement file")],
    target: Annotated[
        str | None, typer.Option(help="harman (default), more-bass, less-bass, or a target CSV")
    ] = None,
    preset: Annotated[
        str,
        typer.Option(help="apo, graphiceq, poweramp, qudelix, uapp, rockbox, graphic10, spotify"),
    ] = "apo",
    like: Annotated[
        str | None, typer.Option(help="make it sound like this headphone instead")
    ] = None,
    max_gain: Annotated[float, typer.Option(help="largest boost allowed (dB)")] = 6.0,
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
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Fit a parametric EQ to a target (or to another headphone) and write it in an app's syntax."""
    from earwise.acoustics.eq import EqError
    from earwise.acoustics.plot import write_plot
    from earwise.acoustics.response import FrequencyResponse
    from earwise.service.measured import eq_json

    try:
        data = eq_json(view(), what, target, preset, like, max_gain, filters, rig, form)
    except EqError as exc:
        raise ProfileError(str(exc)) from None
    if output is not None:
        output.write_text(data["file_text"], encoding="utf-8")
    if plot_file is not None:
        c = data["curves"]
        f, raw, eqd, tgt = (np.array(c[k]) for k in ("freq_hz", "raw_db", "eq_db", "target_db"))
        ref = np.interp(np.log(1000.0), np.log(f), raw)
        curves = [FrequencyResponse(f, raw - ref, f"{data['headphone']} (before)"),
                  FrequencyResponse(f, raw + eqd - np.interp(np.log(1000.0), np.log(f), raw + eqd), "after EQ")]  # fmt: skip
        target_fr = FrequencyResponse(f, tgt - np.interp(np.log(1000.0), np.log(f), tgt), "target")
        try:
            write_plot(
                plot_file,
                curves,
                None if like else target_fr,
                f"{data['headphone']}: EQ to {data['goal']}",
            )
        except ValueError as exc:
            raise ProfileError(str(exc)) from None
    if as_json:
        emit_json({k: v for k, v in data.items() if k != "curves"})
        return
    out.print(
        f"[bold]{data['headphone']}[/bold] EQ for {data['app']} ({data['note']}), goal: {data['goal']}",
        highlight=False,
    )
    table = Table("#", "Type", "Fc (Hz)", "Q", "Gain (dB)")
    for i, f_ in enumerate(data["filters"], start=1):
        table.add_row(
            str(i), f_["type"], f"{f_['fc_hz']:g}", f"{f_['q']:.2f}", f"{f_['gain_db']:+.1f}"
        )
    if data["filters"]:
        out.print(table)
    out.print(
        f"Preamp {data['preamp_db']:+.1f} dB; remaining error {data['remaining_error_db']:.2f} dB RMS (20 Hz-10 kHz); above 10 kHz: {data['above_10khz']}.",
        highlight=False,
    )
    if data["preference"]:
        p = data["preference"]
        out.print(
            f"Harman predicted preference {p['before']:g} -> about {p['after_estimate']:g} ({p['caveat']}).",
            highlight=False,
        )
    if output is not None:
        out.print(f"wrote {output}")
    else:
        out.print(data["file_text"], highlight=False, markup=False)


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=32, help="worker processes")] = 1,
) -> None:
    """The web UI and JSON API (OpenAPI at /openapi.json)."""
    import uvicorn

    store.connect().close()  # build the store once, before workers start
    out.print(f"earwise on http://{host}:{port}/  (API docs at /docs)")
    uvicorn.run("earwise.web.main:app", host=host, port=port, workers=workers, log_level="warning")


@app.command()
@user_errors
def ask(
    text: Annotated[
        str | None,
        typer.Argument(help="your question in plain words ('-' or nothing: read standard input)"),
    ] = None,
    file: Annotated[Path | None, typer.Option(help="read the question from a file")] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="never ask back: answer with stated assumptions")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="print what was understood (with text spans), what is missing, and the answer",
        ),
    ] = False,
) -> None:
    """Ask in plain words, as you would under a buying guide; earwise asks back only for what it needs."""
    from earwise.service.answer import ask as ask_question

    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileError(f"cannot read {file}: {exc}") from None
    elif text in (None, "-"):
        if sys.stdin.isatty():
            raise ProfileError(
                "give the question as an argument, with --file, or on standard input"
            )
        text = sys.stdin.read()
    interactive = not (no_input or as_json) and sys.stdin.isatty() and sys.stdout.isatty()
    data = ask_question(
        text or "",
        view(),
        (lambda q: typer.prompt(q, default="", show_default=False)) if interactive else None,
    )
    if as_json:
        emit_json(data)
        return
    a = data["answer"]
    out.print(a.get("opening", ""), highlight=False)
    for note in data["assumptions"]:
        out.print(f"[dim]assumed: {note}[/dim]", highlight=False)
    for m in data["missing"]:
        out.print(f"[yellow]?[/yellow] {m['question']}", highlight=False)
    if a.get("problem"):
        out.print(f"[yellow]![/yellow] {a['problem']}", highlight=False)
    if a.get("guidance"):
        out.print(a["guidance"], highlight=False)
    for r in a.get("recommendations", []):
        price = f"${r['total_price_usd']:,.0f}" if r["total_price_usd"] else "price unknown"
        out.print(
            f"\n[bold]{r['rank']}. {r['brand']} {r['model']}[/bold]  {price}  score {r['score']:.1f}",
            highlight=False,
        )
        print_points(r["reasons"][:4], r["warnings"][:3], "   ", "[yellow]![/yellow]")
    if a.get("kit"):
        k = a["kit"]["best"]
        out.print(
            f"\n[bold]Rule #3 kit[/bold] (${k['total_price_usd']:,.0f}): "
            + "; ".join(f"{i['label']} for {', '.join(i['genres']) or 'all'}" for i in k["items"]),
            highlight=False,
        )
    rows = (
        (a.get("comparison") or {}).get("ranking")
        or a.get("ranking")
        or a.get("products")
        or a.get("fit")
        or []
    )
    for r in rows:
        out.print(f"\n[bold]{view().label(r['id'])}[/bold]  fit {r['score']:.1f}", highlight=False)
        print_points(r["reasons"][:4], r["warnings"][:3], "   ", "[yellow]![/yellow]")
    if a.get("drive"):
        print_drive(a["drive"])
    if a.get("amps"):
        for r in a["amps"].get("amps", [])[:5]:
            price = "-" if r["price_usd"] is None else f"${r['price_usd']:,.0f}"
            out.print(
                f"  {r['label']} ({price}): {r['headroom_db']:+.1f} dB headroom", highlight=False
            )
    if a.get("chain"):
        c = a["chain"]
        out.print(f"Connection: {c['connection']['how']}", highlight=False)
        print_drive(c["drive"])
        out.print(
            f"Upgrade first: {c['upgrade_first']['link']}: {c['upgrade_first']['why']}",
            highlight=False,
        )
    if a.get("explain"):
        for it in a["explain"]["items"]:
            out.print(
                f"[bold]{it['spec']}[/bold] {it['value']}: {it['means']}. For you: {it['for_you']}",
                highlight=False,
            )
            for f in it["flags"]:
                out.print(f"  [yellow]![/yellow] {f}", highlight=False)
        out.print(a["explain"]["verdict"], highlight=False)


try:  # typer >= 0.20 vendors click; older typer depends on it
    from typer._click.exceptions import UsageError as _UsageError
except ImportError:  # pragma: no cover - depends on the installed typer
    from click.exceptions import UsageError as _UsageError


def main() -> None:
    """Entry point: usage errors (bad option, bad value) become one ``error:`` line, exit 2."""
    try:
        code = typer.main.get_command(app)(standalone_mode=False)
    except _UsageError as exc:
        sys.stderr.write(f"error: {' '.join(exc.format_message().split())} (see --help)\n")
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("error: aborted\n")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
