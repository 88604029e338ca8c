"""Frequency-response plots as hand-built SVG (no plotting dependency).

Log frequency axis 20 Hz-20 kHz labelled in Hz, level axis in dB, target dashed. A
``viewBox`` lets the plot scale down to phone width. PNG output uses matplotlib when it is
installed (it is not a dependency).
"""

from __future__ import annotations

from html import escape

import numpy as np

from earwise.acoustics.response import FrequencyResponse

WIDTH, HEIGHT = 760, 400
MARGIN = {"left": 56, "right": 16, "top": 36, "bottom": 48}
F_MIN_HZ, F_MAX_HZ = 20.0, 20000.0
TICKS_HZ = (20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf")


def _tick_label(f: float) -> str:
    return f"{f / 1000:g}k" if f >= 1000 else f"{f:g}"


def svg(
    curves: list[FrequencyResponse], target: FrequencyResponse | None = None, title: str = ""
) -> str:
    """An SVG document with ``curves`` (solid) and ``target`` (dashed)."""
    plot_w = WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    grid = np.geomspace(F_MIN_HZ, F_MAX_HZ, 400)
    series = [(c.name, c.at(grid), False) for c in curves]
    if target is not None:
        series.append((f"target: {target.name}", target.at(grid), True))
    values = np.concatenate([s[1] for s in series])
    lo = float(np.floor(np.percentile(values, 1) / 5) * 5) - 5
    hi = float(np.ceil(np.percentile(values, 99) / 5) * 5) + 5

    def x(f):
        return MARGIN["left"] + plot_w * np.log10(np.asarray(f) / F_MIN_HZ) / np.log10(
            F_MAX_HZ / F_MIN_HZ
        )

    def y(db):
        return MARGIN["top"] + plot_h * (hi - np.clip(np.asarray(db), lo, hi)) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(title or "frequency response")}">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="15" font-family="sans-serif">'
        f"{escape(title)}</text>",
    ]
    for f in TICKS_HZ:
        parts.append(
            f'<line x1="{x(f):.1f}" y1="{MARGIN["top"]}" x2="{x(f):.1f}" y2="{HEIGHT - MARGIN["bottom"]}" stroke="#ddd"/>'
            f'<text x="{x(f):.1f}" y="{HEIGHT - MARGIN["bottom"] + 16}" text-anchor="middle" '
            f'font-size="11" font-family="sans-serif">{_tick_label(f)}</text>'
        )
    for db in np.arange(lo, hi + 0.1, 5):
        parts.append(
            f'<line x1="{MARGIN["left"]}" y1="{y(db):.1f}" x2="{WIDTH - MARGIN["right"]}" y2="{y(db):.1f}" stroke="#eee"/>'
            f'<text x="{MARGIN["left"] - 6}" y="{y(db) + 4:.1f}" text-anchor="end" font-size="11" '
            f'font-family="sans-serif">{db:g}</text>'
        )
    parts.append(
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle" font-size="12" '
        'font-family="sans-serif">Frequency (Hz)</text>'
        f'<text x="14" y="{HEIGHT / 2}" text-anchor="middle" font-size="12" font-family="sans-serif" '
        f'transform="rotate(-90 14 {HEIGHT / 2})">Level (dB)</text>'
    )
    for i, (name, level, dashed) in enumerate(series):
        colour = "#333" if dashed else COLOURS[i % len(COLOURS)]
        points = " ".join(f"{px:.1f},{py:.1f}" for px, py in zip(x(grid), y(level), strict=True))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="1.6"{dash} points="{points}"/>'
        )
        ly = MARGIN["top"] + 14 + 16 * i
        parts.append(
            f'<line x1="{MARGIN["left"] + 10}" y1="{ly - 4}" x2="{MARGIN["left"] + 34}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{MARGIN["left"] + 40}" y="{ly}" font-size="11" font-family="sans-serif">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def render(
    fmt: str, curves: list[FrequencyResponse], target: FrequencyResponse | None, title: str
) -> bytes:
    """The figure as bytes: ``svg`` (built in) or ``png`` (needs matplotlib, imported here)."""
    if fmt == "svg":
        return svg(curves, target, title).encode("utf-8")
    if fmt != "png":
        raise ValueError(f"plot output must be .svg or .png, not {fmt!r}")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ValueError(
            "PNG output needs matplotlib (pip install matplotlib); .svg works without it"
        ) from None
    import io

    fig, ax = plt.subplots(figsize=(7.6, 4.0), dpi=120)
    for c in curves:
        ax.semilogx(c.freq_hz, c.raw_db, label=c.name)
    if target is not None:
        ax.semilogx(target.freq_hz, target.raw_db, "k--", label=f"target: {target.name}")
    ax.set(xlim=(F_MIN_HZ, F_MAX_HZ), xlabel="Frequency (Hz)", ylabel="Level (dB)", title=title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
