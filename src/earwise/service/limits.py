"""The documented range of every input the service accepts, and the parsers that enforce it.

Every number must be finite and inside its range; names are at most ``MAX_NAME_CHARS`` long and
free text at most ``MAX_TEXT_BYTES``. Anything else raises :class:`EarwiseError` naming the field.
"""

from __future__ import annotations

import math
import re

from earwise.core.errors import EarwiseError

MAX_NAME_CHARS = 200  # judgement: the longest catalog name is ~60 characters
MAX_TEXT_BYTES = 20 * 1024  # judgement: a long forum post or spec sheet is under 5 KB
MAX_LIST_ITEMS = 30  # judgement: repeated options (genres, uses, platforms, owned)
BUDGET_USD = (1.0, 100_000.0)  # the catalog's dearest product is $6,200; judgement beyond
PRICE_USD = (0.0, 100_000.0)
SHARE_PERCENT = (0.0, 100.0)
VRMS = (0.001, 100.0)  # judgement: the strongest headphone amps deliver ~30 Vrms
ZOUT_OHM = (0.0, 1_000.0)  # judgement: old tube amps and 120 ohm IEC 61938 outputs sit far below
MAX_MA = (0.1, 10_000.0)
LEVEL_DB_SPL = (40.0, 115.0)  # Profile's own limits: quiet room to the loudest safe sessions
WEIGHT_G = (1.0, 2_000.0)
TOP = (1, 50)
GAIN_DB = (0.0, 20.0)
FILTERS = (1, 31)

_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,500 / 12,000.50 — never 1,2,3


def check_number(
    value: float | int | None, field: str, limits: tuple[float, float], unit: str = ""
) -> float | None:
    """``value`` if finite and within ``limits`` (inclusive), else an error naming ``field``."""
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        raise EarwiseError(f"{field} {value!r} is not a number", field) from None
    lo, hi = limits
    if not math.isfinite(x):
        raise EarwiseError(f"{field} must be a finite number, got {value!r}", field)
    if not lo <= x <= hi:
        u = f" {unit}" if unit else ""
        raise EarwiseError(f"{field} must be between {lo:g} and {hi:g}{u}, got {value!r}", field)
    return x


def check_int(value: float | int | None, field: str, limits: tuple[float, float]) -> int:
    """A whole number within ``limits`` (required)."""
    if value is None:
        raise EarwiseError(f"{field} is required", field)
    x = check_number(value, field, limits)
    if x != int(x):
        raise EarwiseError(f"{field} must be a whole number, got {value!r}", field)
    return int(x)


def parse_amount(text: str | float | None, field: str, limits: tuple[float, float]) -> float | None:
    """'350', '$1,500', '1500.50' -> USD. Refuses '1,2,3', 'inf', 'nan', '1e309', '' is None."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return check_number(text, field, limits, "USD")
    s = str(text).strip()
    if s == "":
        return None
    bare = s.removeprefix("$").strip()
    if _GROUPED.match(bare):
        bare = bare.replace(",", "")
    try:
        value = float(bare)
    except (ValueError, OverflowError):
        raise EarwiseError(
            f"{field} {s[:40]!r} is not a number in USD (write 350 or $1,500)", field
        ) from None
    if not math.isfinite(value):
        raise EarwiseError(f"{field} must be a finite number, got {s[:40]!r}", field)
    if value <= 0:
        raise EarwiseError(f"{field} must be positive, got {s[:40]!r}", field)
    return check_number(value, field, limits, "USD")


def parse_budget(text: str | float | None) -> float | None:
    return parse_amount(text, "budget", BUDGET_USD)


def check_name(value: str | None, field: str, required: bool = True) -> str | None:
    """A product or device name: non-empty after stripping, at most ``MAX_NAME_CHARS``."""
    if value is None:
        if required:
            raise EarwiseError(f"{field} is required", field)
        return None
    if not isinstance(value, str):
        raise EarwiseError(f"{field} must be text", field)
    if len(value) > MAX_NAME_CHARS:
        raise EarwiseError(
            f"{field} is {len(value):,} characters long; names are at most {MAX_NAME_CHARS}", field
        )
    s = " ".join(value.split())
    if not s:
        if required:
            raise EarwiseError(f"{field} is empty", field)
        return None
    return s


def check_text(value: str | None, field: str) -> str:
    """Free text (a question, a spec sheet): at most ``MAX_TEXT_BYTES`` of UTF-8, not blank."""
    if value is None or not isinstance(value, str):
        raise EarwiseError(f"{field} is required", field)
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise EarwiseError(
            f"{field} is {size:,} bytes; the limit is {MAX_TEXT_BYTES:,} bytes", field
        )
    if not value.strip():
        raise EarwiseError(f"{field} is empty", field)
    return value


def check_list(values: list[str] | None, field: str) -> list[str]:
    """Repeated names (genres, uses, platforms): at most ``MAX_LIST_ITEMS``, each a short name."""
    values = [v for v in (values or []) if v is not None and str(v).strip() != ""]
    if len(values) > MAX_LIST_ITEMS:
        raise EarwiseError(f"at most {MAX_LIST_ITEMS} {field} values, got {len(values)}", field)
    return [check_name(str(v), field) for v in values]


def check_genre_items(items: list[str] | None) -> list[str]:
    """``NAME[:SHARE]`` items with a finite share of 0-100 (percent)."""
    out = check_list(items, "genre")
    for item in out:
        name, sep, share = item.partition(":")
        if sep:
            raw = share.strip().rstrip("%").strip()
            try:
                value = float(raw)
            except ValueError:
                raise EarwiseError(
                    f"genre share {item!r} does not parse: write NAME:SHARE, e.g. rock:20", "genre"
                ) from None
            check_number(value, "genre", SHARE_PERCENT, "percent")
    return out


def parse_level(value: str | float | None) -> str | float:
    """quiet, normal, loud or a dB SPL number within ``LEVEL_DB_SPL``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "normal"
    if isinstance(value, str):
        s = value.strip().lower()
        if s in ("quiet", "normal", "loud"):
            return s
        try:
            number = float(s.removesuffix("db").strip())
        except ValueError:
            raise EarwiseError(
                f"level {value[:40]!r}: give quiet, normal, loud or a dB SPL number", "level"
            ) from None
    else:
        number = value
    return check_number(number, "level", LEVEL_DB_SPL, "dB SPL")


def check_choice(value: str | None, field: str, choices: tuple[str, ...] | list[str]) -> str | None:
    if value is None or value == "":
        return None
    if value not in choices:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise EarwiseError(f"unknown {field} {shown!r}; valid: {', '.join(choices)}", field)
    return value
