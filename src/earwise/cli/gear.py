"""Drive, amps-for, chain and explain commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from earwise.cli.common import (
    AsJson,
    Budget,
    Genres,
    Level,
    app,
    earwise_app,
    emit_json,
    fail,
    note_names,
    out,
    print_assumptions,
    print_drive,
    read_input,
    user_errors,
)


@app.command()
@user_errors
def drive(
    headphone: Annotated[str, typer.Argument(help="a catalog headphone")],
    source: Annotated[
        str | None, typer.Option(help="a catalog source or amp (default: an assumed phone)")
    ] = None,
    vrms: Annotated[float | None, typer.Option(help="ad-hoc source: maximum output (Vrms)")] = None,
    zout: Annotated[
        float | None, typer.Option(help="ad-hoc source: output impedance (ohm)")
    ] = None,
    max_ma: Annotated[float | None, typer.Option(help="ad-hoc source: current limit (mA)")] = None,
    level: Level = "normal",
    genre: Genres = [],
    balanced: Annotated[
        bool, typer.Option("--balanced", help="use the source's balanced output")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Can this source drive this headphone? Peak level, headroom, limit, output-impedance effect."""
    from earwise import service
    from earwise.service.requests import DriveRequest, NeedRequest

    req = DriveRequest(headphone, source, vrms, zout, max_ma, balanced, NeedRequest(level, genre))
    result = service.drive(earwise_app(), req)
    note_names(result)
    if as_json:
        emit_json(result.to_json())
        return
    out.print(f"[bold]{result.headphone}[/bold] on {result.source}", highlight=False)
    print_assumptions(result.assumptions)
    print_drive(result.to_json())


@app.command("amps-for")
@user_errors
def amps_for_cmd(
    headphone: Annotated[str, typer.Argument(help="a catalog headphone")],
    budget: Budget = None,
    level: Level = "normal",
    genre: Genres = [],
    as_json: AsJson = False,
) -> None:
    """Sources and amplifiers in the catalog that drive it with headroom, cheapest first."""
    from rich.table import Table

    from earwise import service
    from earwise.service.requests import AmpsForRequest, NeedRequest

    result = service.amps_for(
        earwise_app(), AmpsForRequest(headphone, budget, NeedRequest(level, genre))
    )
    note_names(result)
    data = result.to_json()
    if as_json:
        emit_json(data)
        return
    if result.electrostatic:
        out.print(
            f"[bold]{result.headphone}[/bold] is electrostatic: it needs an energizer.",
            highlight=False,
        )
        for e in result.energizers:
            out.print(
                f"  - {e['label']} (bias {', '.join(f'{b:g} V' for b in e['bias_v'])}): {e['how']}",
                highlight=False,
            )
        return
    out.print(
        f"[bold]{result.headphone}[/bold]: peaks of {result.needed_peak_db_spl:g} dB SPL needed ({result.why_needed})",
        highlight=False,
    )
    table = Table("Source / amp", "Kind", "Price", "Output", "Headroom")
    for r in result.amps:
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
        f"{result.without_output_figures} devices in the catalog publish no output figures and were not checked."
    )


@app.command()
@user_errors
def chain(
    headphone: Annotated[str, typer.Option(help="the headphone")],
    source: Annotated[
        str | None,
        typer.Option(help="the source: phone, laptop, player, console (default: a phone)"),
    ] = None,
    dac: Annotated[str | None, typer.Option(help="an external DAC")] = None,
    amp: Annotated[str | None, typer.Option(help="an amplifier, DAC/amp or energizer")] = None,
    level: Level = "normal",
    genre: Genres = [],
    as_json: AsJson = False,
) -> None:
    """The whole signal chain: each link's role, the connection, power margin, what to upgrade first."""
    from earwise import service
    from earwise.service.requests import ChainRequest, NeedRequest

    result = service.chain(
        earwise_app(), ChainRequest(headphone, source, dac, amp, NeedRequest(level, genre))
    )
    note_names(result)
    data = result.to_json()
    if as_json:
        emit_json(data)
        return
    print_assumptions(result.assumptions)
    for i, link in enumerate(result.links, start=1):
        out.print(
            f"{i}. [bold]{link['label']}[/bold] ({link['role']}): {link['note']}", highlight=False
        )
    out.print(f"{len(result.links) + 1}. [bold]{result.headphone}[/bold]", highlight=False)
    if result.connection:
        out.print(f"Connection: {result.connection['how']}", highlight=False)
    if result.drive:
        print_drive(result.drive)
    for key in ("energizer", "verdict", "note"):
        if isinstance(result.extra.get(key), str):
            out.print(result.extra[key], highlight=False)
    if result.upgrade_first:
        up = result.upgrade_first
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
    as_json: AsJson = False,
) -> None:
    """A spec sheet in plain words: what each figure means for you, and what it does not mean."""
    from earwise import service
    from earwise.service.requests import ExplainRequest, NeedRequest

    if sum(x is not None for x in (name, text, file)) != 1:
        fail('give one of: a catalog NAME, --text "..." or --file F')
    if file is not None:
        text = read_input(file)
    result = service.explain(
        earwise_app(), ExplainRequest(name, text, source, NeedRequest(level, genre))
    )
    note_names(result)
    if as_json:
        emit_json(result.to_json())
        return
    out.print(f"[bold]{result.headphone}[/bold]", highlight=False)
    for it in result.items:
        title = it.spec if it.spec.isupper() else it.spec.capitalize()
        out.print(f"\n[bold]{title}[/bold]: {it.value}", highlight=False)
        out.print(f"  means: {it.means}", highlight=False)
        out.print(f"  for you: {it.for_you}", highlight=False)
        for f in it.flags:
            out.print(f"  [yellow]![/yellow] {f}", highlight=False)
    for d in result.drive:
        out.print(f"\n[bold]Drive from {d['source']}[/bold]", highlight=False)
        print_drive(d)
    if result.unread:
        out.print("\nNot understood: " + " | ".join(result.unread), highlight=False)
    out.print(f"\n[bold]Verdict[/bold]: {result.verdict}", highlight=False)
