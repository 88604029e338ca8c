"""Defaults the answers assume when the user does not say, in one place; every answer that
uses one states it (``assumptions`` in the JSON, a dim line in the CLI)."""

from __future__ import annotations

# The engine's assumed phone (advice.engine.ASSUMED_SOURCE_ID): Apple's USB-C adapter, the
# seeds' worked example of a phone output (1 Vrms, ASR-measured output impedance).
from earwise.advice.engine import ASSUMED_SOURCE_ID

DEFAULT_SOURCE_ID = ASSUMED_SOURCE_ID
DEFAULT_SOURCE_NOTE = "no source given: assumed a phone ({label}); give a source to check yours"
DEFAULT_LEVEL = "normal"  # 80 dB SPL average (advice.drive / acoustics.power)
DEFAULT_TOP = 5
DEFAULT_EQ_PRESET = "apo"
DEFAULT_MAX_GAIN_DB = 6.0  # judgement: boosts beyond +6 dB eat headroom and stress drivers


def assumed_source_note(view) -> str:
    """The line every answer that assumed the default source carries."""
    d = view.devices.get(DEFAULT_SOURCE_ID)
    return DEFAULT_SOURCE_NOTE.format(label=d.display_name if d else "1 Vrms")
