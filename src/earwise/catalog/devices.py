"""Sources and amplifiers as drive limits."""

from __future__ import annotations

from earwise.acoustics.power import SourceLimits, limits_from_ratings
from earwise.catalog.schema import Output, SourceDevice


def pick_output(device: SourceDevice, balanced: bool = False) -> Output:
    """The balanced output when asked for and present, else the first single-ended one."""
    wanted = "balanced" if balanced else "single-ended"
    return next((o for o in device.outputs if o.kind == wanted), device.outputs[0])


def output_limits(device: SourceDevice, output: Output) -> SourceLimits | None:
    """Drive limits of one output, ``None`` when no rating is published."""
    return limits_from_ratings(
        [(r.vrms, r.power_mw, r.load_ohm) for r in output.ratings],
        output.zout_ohm,
        output.max_current_ma,
        name=f"{device.display_name} ({output.name})",
    )


def device_limits(device: SourceDevice, balanced: bool = False) -> SourceLimits | None:
    return output_limits(device, pick_output(device, balanced))


def is_energizer(device: SourceDevice) -> bool:
    return device.category == "energizer"


def bias_voltages(device: SourceDevice) -> set[float]:
    return {o.bias_v for o in device.outputs if o.bias_v}
