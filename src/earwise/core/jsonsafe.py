"""Strict JSON values: every non-finite float becomes ``None`` (JSON has no Infinity or NaN)."""

from __future__ import annotations

import math
import numbers


def json_safe(value):
    """``value`` with every non-finite float (``inf``, ``-inf``, ``nan``) replaced by ``None``,
    through dicts, lists and tuples; numpy floats become Python floats."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        x = float(value)  # numpy floats register as numbers.Real
        return x if math.isfinite(x) else None
    return value
