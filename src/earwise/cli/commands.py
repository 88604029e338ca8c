"""Catalog and advice commands: recommend, show, search, compare, kit, best, ask, catalog, serve."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from earwise.cli.common import (
    AsJson,
    Budget,
    Genre,
    Platform,
    Use,
    app,
    earwise_app,
    emit_json,
    escape,
    fail,
    note_names,
    out,
    print_assumptions,
    print_points,
    read_input,
    user_errors,
)
from earwise.core.naming import display_name

SORT_FIELDS = "price, year, weight, impedance, score, brand, model"
CATEGORIES_HELP = "overall, value, microphone, battery, comfort, open-back, xbox-ps5, wired, anc, gaming, in-ear, under"


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
        float | None, typer.Option(help="lower end of a price range (USD)")
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
    driver: Annotated[
        str | None,
        typer.Option(
            help="driver type: dynamic, planar, balanced-armature, hybrid, electrostatic, bone-conduction"
        ),
    ] = None,
    anc: Annotated[bool, typer.Option("--anc", help="must have active noise cancelling")] = False,
    mic: Annotated[bool, typer.Option("--mic", help="must have a microphone")] = False,
    no_amp: Annotated[
        bool, typer.Option("--no-amp", help="must play loud enough from your source alone")
    ] = False,
    no_leak: Annotated[bool, typer.Option("--no-leak", help="must not leak sound")] = False,
    used: Annotated[
        bool, typer.Option("--used", help="also show discontinued models (used market), apart")
    ] = False,
    max_weight: Annotated[float | None, typer.Option(help="maximum weight (g)")] = None,
    glasses: Annotated[bool, typer.Option("--glasses", help="you wear glasses")] = False,
    head: Annotated[str | None, typer.Option(help="small or large head")] = None,
    long_sessions: Annotated[
        bool, typer.Option("--long-sessions", help="comfort for day-long use matters")
    ] = False,
    long_battery: Annotated[
        bool, typer.Option("--long-battery", help="battery life per charge matters")
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
    brand: Annotated[
        list[str], typer.Option("--brand", help="only headphones by this maker (repeatable)")
    ] = [],
    top: Annotated[int, typer.Option(help="how many to show (1-50)")] = 5,
    as_json: AsJson = False,
) -> None:
    """Ranked headphones for your music, places, platforms, source and budget, with reasons."""
    from earwise import service
    from earwise.service.requests import ProfileRequest, RecommendRequest

    if wired and wireless:
        fail("--wired and --wireless exclude each other")
    profile = ProfileRequest(
        genre=genre, use=use, platform=platform, budget=budget,
        budget_includes_amp=budget_includes_amp, min_price=min_price, source=source,
        source_vrms=source_vrms, source_zout=source_zout, form=form, back=back, driver=driver,
        wireless=True if wireless else (False if wired else None), anc=anc, mic=mic,
        no_amp=no_amp, no_leak=no_leak, used=used, max_weight=max_weight, glasses=glasses, head=head,
        long_sessions=long_sessions, long_battery=long_battery, bass=bass, treble_sensitive=treble_sensitive,
        tonality=tonality, soundstage=soundstage, level=level, owned=owned, brand=brand,
    )  # fmt: skip
    result = service.recommend(earwise_app(), RecommendRequest(profile=profile, top=top))
    note_names(result)
    if as_json:
        emit_json(result.to_json())
        return
    tv = "; for TV, for clear dialogue" if "tv" in (result.profile.get("uses") or []) else ""
    shares = ", ".join(f"{g} {s:.0%}" for g, s in result.profile["genres"].items()) or (
        f"not given (sound judged against the Harman target, the balance most listeners prefer{tv})"
    )
    lines = [
        f"[bold]earwise[/bold]: {result.considered} headphones fit your constraints. Music: {shares}."
    ]
    lines += [f"[dim]assumed: {a}[/dim]" for a in result.assumptions]
    lines += [f"[dim]{escape(n)}[/dim]" for n in result.notes]
    for r in result.recommendations:
        basis = f" ({r.price_basis})" if r.price_basis and not r.amp else ""
        price = f"${r.total_price_usd:,.0f}{basis}" if r.total_price_usd else "price unknown"
        amp = f" + {display_name(r.amp.brand, r.amp.model)}" if r.amp else ""
        lines += [
            "",
            f"[bold]{escape(f'{r.rank}. {display_name(r.brand, r.model)}')}[/bold]{escape(amp)}  {price}  score {r.score:.1f}",
            f"   {r.form_factor}, {r.back} back, {({True: 'wireless', False: 'wired'}).get(r.wireless, 'wireless: unknown')}",
        ]
        if r.decisive:
            lines.append(f"   decided by: {escape('; '.join(r.decisive))}")
        lines += [f"   [green]+[/green] {escape(x)}" for x in r.reasons]
        lines += [f"   [yellow]![/yellow] {escape(x)}" for x in r.warnings]
        if r.trade_off:
            lines.append(f"   [dim]{escape(r.trade_off)}[/dim]")
    if result.used_market:
        lines += [
            "",
            "[bold]Used market[/bold] (discontinued; last known new price, not a used price):",
        ]
        for u in result.used_market:
            succ = f"; replaced by {u.successor}" if u.successor else ""
            lines.append(
                f"   {escape(u.label)}  ${u.last_price_usd:,.0f}  score {u.score:.1f}{escape(succ)}"
            )
    out.print("\n".join(lines), highlight=False)  # one call: rich's per-call cost is ~1 ms


@app.command()
@user_errors
def show(
    name: Annotated[str, typer.Argument(help="product name or alias")],
    as_json: AsJson = False,
) -> None:
    """One product: specs, platforms, sound, and where every fact came from."""
    from rich.table import Table

    from earwise import service
    from earwise.service.requests import NameRequest

    result = service.show(earwise_app(), NameRequest(name))
    data = result.record
    if result.match_note:
        sys.stderr.write(f"note: {result.match_note}\n")
    if as_json:
        emit_json(result.to_json())
        return
    if result.kind == "source":
        out.print(f"[bold]{data['brand']} {data['model']}[/bold] ({data['category']})")
        for o in data["outputs"]:
            out.print(
                f"  output {o['name']} ({o['kind']}): ratings {o['ratings'] or 'unknown'}, Zout {o['zout_ohm']} ohm",
                highlight=False,
            )
        for s in data["sources"]:
            out.print(f"  source: {s['title']} [{', '.join(s['covers'])}]", highlight=False)
        withheld_note(data)
        return
    out.print(
        f"[bold]{data['brand']} {data['model']}[/bold]"
        + (" (discontinued)" if data.get("discontinued") else "")
    )
    table = Table(show_header=False, box=None)
    for row in result.rows:
        table.add_row(row.label, row.values[0])
    out.print(table)
    for p, via in data["platform_support"].items():
        if via:
            out.print(f"  {p}: {via}", highlight=False)
    out.print("[bold]Sources[/bold]")
    for s in data["sources"]:
        url = f" <{s['url']}>" if s.get("url") else ""
        out.print(f"  {s['kind']}: {s['title']}{url} [{', '.join(s['covers'])}]", highlight=False)
    withheld_note(data)


def withheld_note(data: dict) -> None:
    """Say which fact groups are shown as unknown because only weak sources back them."""
    if data.get("withheld"):
        out.print(
            f"  withheld: {', '.join(data['withheld'])}: only a compilation or a content farm "
            "gives these facts, so they are shown as unknown (docs/source-policy.md)",
            highlight=False,
        )


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
    max_price: Annotated[float | None, typer.Option()] = None,
    min_price: Annotated[float | None, typer.Option()] = None,
    current: Annotated[bool, typer.Option("--current", help="hide discontinued models")] = False,
    sort: Annotated[str, typer.Option(help=f"one of {SORT_FIELDS}")] = "price",
    desc: Annotated[bool, typer.Option("--desc", help="sort descending")] = False,
    limit: Annotated[int | None, typer.Option()] = None,
    as_json: AsJson = False,
) -> None:
    """A table of the catalog, filtered and sorted."""
    from rich.table import Table

    from earwise import service
    from earwise.service.requests import SearchRequest

    req = SearchRequest(
        form=form, back=back, wireless=wireless, anc=anc, mic=mic, platform=platform,
        signature=signature, brand=brand, max_price=max_price, min_price=min_price,
        current=current, sort=sort, desc=desc, limit=limit,
    )  # fmt: skip
    result = service.search(earwise_app(), req)
    if as_json:
        emit_json(result.to_json())
        return
    table = Table(
        "Brand", "Model", "Price", "Form", "Back", "Wireless", "ANC", "Mic", "Signature", "Score"
    )
    for r in result.rows:
        table.add_row(
            r.brand, r.model, "-" if r.price_usd is None else f"${r.price_usd:,.0f}",
            r.form_factor, r.back, {True: "yes", False: "no", None: "unknown"}[r.wireless],
            {True: "yes", False: "no", None: "unknown"}[r.anc], r.mic, r.signature or "-",
            "-" if r.preference_score is None else f"{r.preference_score:.0f}",
        )  # fmt: skip
    out.print(table)
    out.print(f"{len(result.rows)} headphones")
    for name, n in result.unknown_left_out.items():
        out.print(f"[dim]{n} left out because '{name}' is unknown for them (not a no)[/dim]")


@app.command()
@user_errors
def compare(
    names: Annotated[list[str], typer.Argument(help="two to four product names")],
    as_json: AsJson = False,
) -> None:
    """Specs side by side; differences highlighted."""
    from rich.table import Table

    from earwise import service
    from earwise.service.requests import CompareRequest

    result = service.compare(earwise_app(), CompareRequest(names))
    note_names(result)
    if as_json:
        emit_json(result.to_json())
        return
    table = Table("", *[display_name(p.brand, p.model) for p in result.products])
    for row in result.rows:
        table.add_row(row.label, *row.values, style="bold yellow" if row.differs else None)
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
    max_items: Annotated[int, typer.Option(help="at most this many headphones (1-3)")] = 3,
    as_json: AsJson = False,
) -> None:
    """Rule #3: the best set of one to three headphones (plus an amp if needed) for one budget."""
    from earwise import service
    from earwise.service.requests import KitRequest, ProfileRequest

    if wired and wireless:
        fail("--wired and --wireless exclude each other")
    profile = ProfileRequest(
        genre=genre, use=use, platform=platform, budget=budget, source=source, form=form,
        back=back, wireless=True if wireless else (False if wired else None), no_leak=no_leak,
    )  # fmt: skip
    result = service.kit(earwise_app(), KitRequest(profile=profile, max_items=max_items))
    note_names(result)
    if as_json:
        emit_json(result.to_json())
        return
    print_assumptions(result.assumptions)
    for title, k in (("Best kit", result.best), ("Best single headphone", result.best_single)):
        out.print(f"\n[bold]{title}[/bold]: ${k.total_price_usd:,.0f}, score {k.score:.1f}")
        for i in k.items:
            covers = (
                " for "
                + ", ".join(f"{g} ({i.fit[g]:.0%} fit)" if g in i.fit else g for g in i.genres)
                if i.genres
                else ""
            )
            where = f" ({', '.join(i.places)})" if i.places else ""
            out.print(f"  - {i.label} (${i.price_usd or 0:,.0f}){covers}{where}", highlight=False)
        if k.amp:
            out.print(f"  - amp: {k.amp.label} (${k.amp.price_usd or 0:,.0f})", highlight=False)
        cov = ", ".join(f"{g} {c:.0%}" for g, c in k.coverage.items())
        out.print(f"  genre coverage: {cov}", highlight=False)
        if k.decisive:
            out.print(f"  decided by: {'; '.join(k.decisive)}", highlight=False)
        if k.trade_off:
            out.print(f"  {k.trade_off}", highlight=False)
    gain = result.best.score - result.best_single.score
    out.print(
        f"\nThe kit scores {gain:+.1f} points against the best single headphone for the same budget."
    )


@app.command()
@user_errors
def best(
    category: Annotated[
        str | None, typer.Argument(help=f"one of: {CATEGORIES_HELP} (default: all)")
    ] = None,
    under: Annotated[float | None, typer.Option(help="price ceiling in USD")] = None,
    gaming: Annotated[
        bool, typer.Option("--gaming", help="gaming headsets only (with a microphone)")
    ] = False,
    top: Annotated[int, typer.Option(help="picks per list (1-10)")] = 3,
    as_json: AsJson = False,
) -> None:
    """Best-of lists with pros and cons derived from catalog facts."""
    from earwise import service
    from earwise.service.requests import BestRequest

    result = service.best(earwise_app(), BestRequest(category, under, gaming, top))
    if as_json:
        emit_json(result.to_json())
        return
    for lst in result.lists:
        out.print(f"\n[bold]{lst.title}[/bold]")
        if not lst.picks:
            out.print(f"  (none: {lst.note or ''})", highlight=False)
        for p in lst.picks:
            price = f"${p.price_usd:,.0f}" if p.price_usd else "price unknown"
            out.print(
                f"  {p.rank}. {display_name(p.brand, p.model)} ({price}, score {p.score:.1f})",
                highlight=False,
            )
            print_points(p.pros, p.cons, "     ", "[red]-[/red]")
            if p.trade_off:
                out.print(f"     {p.trade_off}", highlight=False)


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=32, help="worker processes")] = 1,
) -> None:
    """The web UI and JSON API (OpenAPI at /openapi.json)."""
    import uvicorn

    earwise_app().connect().close()  # build the store once, before workers start
    out.print(f"earwise on http://{host}:{port}/  (OpenAPI at /openapi.json)")
    uvicorn.run(
        "earwise.web.main:create_default_app", factory=True, host=host, port=port,
        workers=workers, log_level="warning",
    )  # fmt: skip


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
    from earwise import service
    from earwise.service.limits import MAX_TEXT_BYTES
    from earwise.service.requests import AskRequest

    if file is not None:
        text = read_input(file)
    elif text in (None, "-"):
        if sys.stdin.isatty():
            fail("give the question as an argument, with --file, or on standard input")
        text = sys.stdin.read(MAX_TEXT_BYTES + 1)
    interactive = not (no_input or as_json) and sys.stdin.isatty() and sys.stdout.isatty()
    prompt = (lambda q: typer.prompt(q, default="", show_default=False)) if interactive else None
    result = service.ask(earwise_app(), AskRequest(text or ""), prompt)
    if as_json:
        emit_json(result.to_json())
        return
    from earwise.cli.render_ask import render_ask

    render_ask(result, earwise_app().view())
