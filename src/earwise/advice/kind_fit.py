"""How a kind of headphone suits a use, from the same numbers the engine ranks with: the answer to
"Are open-back headphones good for gaming?" or "Do I need noise cancelling for flights?" beside
the term explained. Each line says the rule and its figures (``uses.yaml``, ``weights.yaml``)."""

from __future__ import annotations

from earwise.advice.matrix import LEAK_BY_BACK, LEAK_CLOSED_BY_FORM
from earwise.advice.vocab import Use
from earwise.advice.weights import load_weights

W = load_weights()
LATENCY_FIT_BLUETOOTH = W.value("use.bluetooth_only_latency_fit")
NO_ANC_FIT = W.value("use.no_anc_fit")

_FORMS = {"form_over_ear": "over-ear", "form_on_ear": "on-ear", "form_in_ear": "in-ear"}
_BACKS = {"back_open": "open", "back_closed": "closed"}


def _back_line(back: str, u: Use) -> str:
    leak = LEAK_BY_BACK.get(back, LEAK_CLOSED_BY_FORM["over-ear"])
    verdict = "within it" if leak <= u.max_leak else "over it: others will hear your music"
    fit = (u.backs or {}).get(back)
    extra = f"; and earwise counts this back {fit:.0%} {u.label}" if fit is not None else ""
    return (f"{u.label}: the leak limit is {u.max_leak:g} (0 sealed, 1 open); {'an' if back == 'open' else 'a'} "
            f"{back} back leaks about {leak:g}, {verdict}{extra}")  # fmt: skip


def kind_for_uses(flags: set[str], uses: list[Use]) -> list[str]:
    """One line per kind asked about (a back, a form, noise cancelling, Bluetooth) and use."""
    out = []
    for u in uses:
        out += [_back_line(b, u) for f, b in _BACKS.items() if f in flags]
        for f, form in _FORMS.items():
            if f in flags and u.forms:
                out.append(f"{u.label}: earwise counts the {form} form {u.forms.get(form, 1.0):.0%} "
                           "(how well the form suits the use)")  # fmt: skip
        if "anc" in flags:
            keep = 1 - (1 - NO_ANC_FIT) * u.anc
            out.append(
                f"{u.label}: noise cancelling is worth {u.anc:.0%} of the need a plane has; "
                + (f"without it a headphone keeps {keep:.0%} of its score" if u.anc else "it is not needed")
            )  # fmt: skip
        if flags & {"wireless", "bluetooth"} and u.low_latency:
            out.append(f"{u.label}: Bluetooth adds delay; a Bluetooth-only headphone keeps "
                       f"{LATENCY_FIT_BLUETOOTH:.0%} of its score (a cable or 2.4 GHz dongle avoids it)")  # fmt: skip
    return out
