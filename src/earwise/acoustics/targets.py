"""Which target belongs to which measurement rig (see the shared measurements README).

Curves from different rigs are never compared without their own rig's target:
oratory1990 used GRAS 43AG/43AC couplers (the Harman research rigs); Rtings,
Innerfidelity and Headphone.com used a Head Acoustics HMS II.3 with their own
Harman-equivalent targets.
"""

from __future__ import annotations

from pathlib import Path

from earwise.acoustics.io import FrequencyResponse, read_autoeq_csv

RIG_OF_SOURCE = {
    "oratory1990": "GRAS 43AG/43AC",
    "Rtings": "HMS II.3 (Rtings)",
    "Innerfidelity": "HMS II.3 (Innerfidelity)",
    "Headphone.com Legacy": "HMS II.3 (Headphone.com)",
}
_PREFIX = {
    "oratory1990": "harman",
    "Rtings": "rtings_harman",
    "Innerfidelity": "innerfidelity_harman",
    "Headphone.com Legacy": "headphonecom_harman",
}
# Harman over-ear 2018 (Olive, Welti, McMullin 2018) and in-ear 2019 v2 (Olive et al. 2019).
_TARGET_NAME = {"over-ear": "over-ear_2018", "in-ear": "in-ear_2019v2", "earbud": "in-ear_2019v2"}


def harman_target(source: str, form: str, root: Path) -> FrequencyResponse:
    """The Harman target for a measurement source's rig and a form (over-ear, in-ear, earbud)."""
    name = f"{_PREFIX[source]}_{_TARGET_NAME[form]}"
    return read_autoeq_csv(root / "targets" / f"{name}.csv", name)
