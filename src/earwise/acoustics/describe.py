"""What a measured response means, in plain words, band by band."""

from __future__ import annotations

NOTABLE_DB = 2.0  # a broad band this far from the target is audible (features.TILT_THRESHOLD_DB)

# What more (+) or less (-) level in each band does to music.
BAND_WORDS = {
    "sub_bass": (
        "20-60 Hz",
        "more rumble and kick-drum weight",
        "little deep bass: bass lines lose their floor",
    ),
    "bass": ("60-250 Hz", "fuller, warmer bass", "thinner bass"),
    "low_mids": ("250-500 Hz", "thicker, warmer body (can sound muddy)", "leaner body"),
    "mids": ("500 Hz-2 kHz", "forward voices and instruments", "recessed voices"),
    "presence": (
        "2-5 kHz",
        "forward, sometimes shouty or harsh upper mids",
        "relaxed, distant upper mids",
    ),
    "treble": (
        "5-10 kHz",
        "more detail and sparkle, can be sibilant or fatiguing",
        "softer, darker treble",
    ),
    "air": (
        "10-20 kHz",
        "airy top end (measurements up here are unreliable)",
        "rolled-off top end (measurements up here are unreliable)",
    ),
}
LABEL_WORDS = {
    "neutral": "close to the Harman target: even, uncoloured",
    "warm": "extra bass over an even midrange",
    "bass-heavy": "strongly boosted bass",
    "v-shaped": "boosted bass and treble around recessed mids",
    "bright": "treble-forward",
    "dark": "subdued treble",
    "mid-forward": "mids ahead of both bass and treble",
    "lean": "less bass than the Harman target",
}


def describe(bands_db: dict[str, float], label: str) -> list[str]:
    """Sentences for the signature and every band at least 2 dB away from the target."""
    out = [f"Overall: {label} ({LABEL_WORDS.get(label, label)})."]
    for band, (span, more, less) in BAND_WORDS.items():
        value = bands_db.get(band)
        if value is not None and abs(value) >= NOTABLE_DB:
            words = more if value > 0 else less
            out.append(f"{band.replace('_', ' ')} ({span}) {value:+.1f} dB: {words}.")
    return out
