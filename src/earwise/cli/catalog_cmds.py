"""Catalog commands: ``catalog stats``, ``export`` and ``rebuild``, and the trust commands
``catalog audit`` and ``catalog sample`` (docs/catalog-audit.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from earwise.cli.common import (
    AsJson,
    catalog_app,
    earwise_app,
    emit_json,
    escape,
    out,
    user_errors,
    write_output,
)


@catalog_app.command("stats")
@user_errors
def catalog_stats(as_json: AsJson = False) -> None:
    """Counts by form, back, driver type and price band; sources and amps."""
    from earwise import service

    data = service.catalog_stats(earwise_app()).counts
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


@catalog_app.command("export")
@user_errors
def catalog_export(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="write the JSON Lines here (default: stdout)"),
    ] = None,
) -> None:
    """Every product as JSON Lines: one line each, as 'show --json' prints it, plus "kind"."""
    import json

    from earwise import service
    from earwise.core.jsonsafe import json_safe

    data = service.catalog_export(earwise_app())
    text = "".join(
        json.dumps(json_safe(r), ensure_ascii=False, default=str, allow_nan=False) + "\n"
        for r in data
    )
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text)  # atomic: core.files.atomic_write_bytes (temp file, fsync, rename)
    out.print(f"wrote {len(data)} records to {output}", highlight=False)


@catalog_app.command("rebuild")
@user_errors
def catalog_rebuild() -> None:
    """Rebuild the SQLite store from the data files now."""
    from earwise import service

    out.print(f"rebuilt {service.catalog_rebuild(earwise_app()).path}")


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}%"


def _met(m: bool | None) -> str:
    return {True: "[green]met[/green]", False: "[red]missed[/red]", None: "-"}[m]


@catalog_app.command("audit")
@user_errors
def catalog_audit(
    as_json: AsJson = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="list every weak fact, old price and disagreement")
    ] = False,
) -> None:
    """Completeness of current products against the targets, weak sources, old prices, disagreements."""
    from rich.table import Table

    from earwise.service.audit import catalog_audit as run

    result = run(earwise_app())
    if as_json:
        emit_json(result.to_json())
        return
    for c in result.counts:
        out.print(
            f"{c.scope}: {c.total} in the catalog ({c.current} current), target {c.target:,}: "
            + _met(c.met),
            highlight=False,
        )
    table = Table(title=f"Completeness of current products ({result.today})")
    for col in ("scope", "figure", "have", "of", "%", "target", ""):
        table.add_column(col, justify="right" if col in ("have", "of", "%", "target") else "left")
    for f in result.figures:
        table.add_row(
            f.scope, escape(f.label), str(f.have), str(f.of), _pct(f.pct),
            "-" if f.target_pct is None else f"{f.target_pct:g}%", _met(f.met),
        )  # fmt: skip
    out.print(table)
    cats = Table(title="By category (% complete)")
    fields = [f for f in result.figures if f.scope == "headphones"]
    names = sorted({c for f in fields for c in f.by_category})
    cats.add_column("figure")
    for n in names:
        cats.add_column(n, justify="right")
    for f in fields:
        cats.add_row(escape(f.label), *[_pct(f.by_category[n].pct) if n in f.by_category else "-"
                                        for n in names])  # fmt: skip
    out.print(cats)
    limit = None if show_all else 10
    w = result.weak
    out.print(
        f"[bold]Facts on weak sources only, withheld (shown as unknown)[/bold]: {w.groups} fact "
        f"groups in {w.products} products "
        f"({', '.join(f'{g} {n}' for g, n in w.by_group.items()) or 'none'})",
        highlight=False,
    )
    for item in w.items[:limit]:
        out.print(f"  {item.id}: {', '.join(item.groups)}", highlight=False)
    s = result.stale_prices
    out.print(
        f"[bold]Prices dated before {s.cutoff}[/bold] (older than {s.months} months): "
        f"{len(s.items)}; current products with an undated price: {len(s.undated)}",
        highlight=False,
    )
    for p in s.items[:limit]:
        out.print(f"  {p.id}: ${p.usd:g} {p.kind} as of {p.as_of}", highlight=False)
    out.print(f"[bold]Disagreements recorded[/bold]: {len(result.disagreements)}", highlight=False)
    for d in result.disagreements[:limit]:
        out.print(f"  {d.id} ({d.field}): {escape(d.detail)}", highlight=False)
    if limit is not None and max(len(w.items), len(s.items), len(result.disagreements)) > limit:
        out.print("[dim](first 10 of each; --all lists every one, --json gives all)[/dim]")


@catalog_app.command("sample")
@user_errors
def catalog_sample(
    seed: Annotated[
        int,
        typer.Option("--seed", help="random seed: the same seed and catalog give the same draw"),
    ],
    n: Annotated[int, typer.Option("--n", help="how many facts to draw (1-10,000)")] = 100,
    as_json: AsJson = False,
) -> None:
    """Draw N catalog facts at random (reproducibly) to check by hand against primary sources."""
    from earwise.service.audit import SampleRequest
    from earwise.service.audit import catalog_sample as run

    result = run(earwise_app(), SampleRequest(seed=seed, n=n))
    if as_json:
        emit_json(result.to_json())
        return
    out.print(
        f"{result.n} of {result.population} facts, seed {result.seed}, data {(result.data_hash or '?')[:12]}",
        highlight=False,
    )
    for i, f in enumerate(result.facts, 1):
        out.print(f"{i:>3}. {f.product_id} {f.field} = {escape(str(f.value))}", highlight=False)
        if not f.sources:
            out.print(f"       [red]no source covers {f.group}[/red]", highlight=False)
        for s in f.sources:
            url = f" <{s.url}>" if s.url else ""
            out.print(f"       {s.kind}: {escape(s.title)}{url}", highlight=False)
