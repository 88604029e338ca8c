"""Rendering of an ``ask`` answer in the terminal."""

from __future__ import annotations

from earwise.cli.common import out, print_drive, print_points
from earwise.core.naming import display_name
from earwise.core.notes import is_bookkeeping


def render_ask(result, view) -> None:
    a = result.answer
    out.print(a.get("opening", ""), highlight=False)
    for note in result.assumptions:
        out.print(f"[dim]assumed: {note}[/dim]", highlight=False)
    if a.get("assumed"):
        out.print(f"[dim]assumed: {a['assumed']}[/dim]", highlight=False)
    for m in result.missing:
        out.print(f"[yellow]?[/yellow] {m['question']}", highlight=False)
    if a.get("problem"):
        out.print(f"[yellow]![/yellow] {a['problem']}", highlight=False)
    if a.get("guidance"):
        out.print(a["guidance"], highlight=False)
    notes = a.get("notes", [])
    for note in [n for n in notes if not is_bookkeeping(n)]:
        out.print(f"[dim]note: {note}[/dim]", highlight=False)
    for r in a.get("recommendations", []):
        price = f"${r['total_price_usd']:,.0f}" if r["total_price_usd"] else "price unknown"
        if r.get("price_basis") and not r.get("amp"):
            price += f" ({r['price_basis']})"
        if r.get("amp"):
            price += f" with the {display_name(r['amp']['brand'], r['amp']['model'])}"
        out.print(
            f"\n[bold]{r['rank']}. {display_name(r['brand'], r['model'])}[/bold]  {price}  "
            f"score {r['score']:.1f}",
            highlight=False,
        )
        print_points(r["reasons"][:4], r["warnings"][:3], "   ", "[yellow]![/yellow]")
    left_out = [n for n in notes if is_bookkeeping(n)]
    if left_out:
        out.print("")
    for note in left_out:  # what was left out, after the picks
        out.print(f"[dim]note: {note}[/dim]", highlight=False)
    if a.get("used_market"):
        out.print(
            "\n[bold]Used market[/bold] (discontinued; last known new price):", highlight=False
        )
        for u in a["used_market"]:
            out.print(
                f"  {u['label']}  ${u['last_price_usd']:,.0f}  score {u['score']:.1f}",
                highlight=False,
            )
    if a.get("kit"):
        k = a["kit"]["best"]
        out.print(
            f"\n[bold]Rule #3 kit[/bold] (${k['total_price_usd']:,.0f}): "
            + "; ".join(
                f"{i['label']} for {', '.join(i['genres'] + i.get('places', [])) or 'all'}"
                for i in k["items"]
            ),
            highlight=False,
        )
    for t in a.get("asked", []):  # what the question asked of the product, first
        out.print(
            f"\n[bold]{t['topic'].capitalize()}[/bold]: " + " ".join(t["lines"]), highlight=False
        )
    verdict = a.get("verdict") or (a.get("comparison") or {}).get("verdict")
    if verdict:
        out.print(f"\n[bold]Verdict[/bold]: {verdict}", highlight=False)
    rows = (
        (a.get("comparison") or {}).get("ranking")
        or a.get("ranking")
        or a.get("products")
        or a.get("fit")
        or []
    )
    for r in rows:
        out.print(f"\n[bold]{view.label(r['id'])}[/bold]  fit {r['score']:.1f}", highlight=False)
        print_points(r["reasons"][:4], r["warnings"][:3], "   ", "[yellow]![/yellow]")
        if r.get("trade_off"):
            out.print(f"   [dim]{r['trade_off']}[/dim]", highlight=False)
    for r in a.get("similar", []):
        price = "price unknown" if r["price_usd"] is None else f"${r['price_usd']:,.0f}"
        out.print(
            f"  [bold]{r['label']}[/bold]  {price}"
            + (
                f"  {r['distance_db']:.1f} dB from the reference"
                if r["distance_db"] is not None
                else ""
            ),
            highlight=False,
        )
    if a.get("drive"):
        print_drive(a["drive"])
    if a.get("amps"):
        for r in a["amps"].get("amps", [])[:5]:
            price = "-" if r["price_usd"] is None else f"${r['price_usd']:,.0f}"
            out.print(
                f"  {r['label']} ({price}): {r['headroom_db']:+.1f} dB headroom"
                + ("" if r.get("on_sale", True) else " (not known to be on sale: used market)"),
                highlight=False,
            )
    if a.get("chain"):
        c = a["chain"]
        if c.get("connection"):
            out.print(f"Connection: {c['connection']['how']}", highlight=False)
        if c.get("drive"):
            print_drive(c["drive"])
        if c.get("upgrade_first"):
            out.print(
                f"Upgrade first: {c['upgrade_first']['link']}: {c['upgrade_first']['why']}",
                highlight=False,
            )
    for line in a.get("for_use", []):
        out.print(f"[bold]For you[/bold], {line}.", highlight=False)
    for c in a.get("connections", []):
        title = f"To {c['to']}" if "to" in c else f"About {c['about']}"
        out.print(f"[bold]{title}[/bold]:", highlight=False)
        for way in c["ways"]:
            out.print(f"  - {way}", highlight=False)
        out.print(f"  [dim]Source: {c['source']}[/dim]", highlight=False)
    for r in a.get("sources", []):
        out.print(f"[bold]{r['label']}[/bold] ({r['category']}): {source_line(r)}", highlight=False)
    for d in a.get("drives", []):
        out.print(f"  {d['verdict']}", highlight=False)
    for m in a.get("makers", []):
        out.print(f"[bold]{m['brand']}[/bold]", highlight=False)
        for line in m["lines"]:
            out.print(f"  {line}", highlight=False)
    for t in a.get("terms", []):
        out.print(f"[bold]{t['term']}[/bold]: {t['means']}.", highlight=False)
        if t.get("numbers"):
            out.print(f"  In earwise: {t['numbers']}.", highlight=False)
        out.print(f"  [dim]Source: {t['source']}[/dim]", highlight=False)
    if a.get("explain"):
        for it in a["explain"]["items"]:
            out.print(
                f"[bold]{it['spec']}[/bold] {it['value']}: {it['means']}. For you: {it['for_you']}",
                highlight=False,
            )
            for f in it["flags"]:
                out.print(f"  [yellow]![/yellow] {f}", highlight=False)
        out.print(a["explain"]["verdict"], highlight=False)


def source_line(r: dict) -> str:
    """A compared source's output in words, an unknown figure said as unknown."""
    volts = (
        f"{r['max_vrms_open']:g} Vrms open-circuit"
        if r["max_vrms_open"] is not None
        else "output voltage unknown"
    )
    zout = (
        f"{r['zout_ohm']:g} ohm output impedance"
        if r["zout_ohm"] is not None
        else "output impedance unknown"
    )
    price = f"${r['price_usd']:,.0f}" if r["price_usd"] is not None else "price unknown"
    return f"{r['output']}, {volts}, {zout}, {price}"
