"""Reading and writing frequency responses.

Formats (all read by one parser; files and uploaded text alike):
- AutoEq CSV: header ``frequency,raw`` (more columns are ignored), comma separated.
- REW text export: ``*`` comment lines, then ``freq spl [phase]`` separated by spaces, tabs or commas.
- squig.link / CrinGraph text: optional ``*`` comments and an optional header line, then
  ``freq<TAB or comma>dB`` rows.
- European spreadsheets: ``;`` (or tab or space) separated with decimal commas (``20,5;-3,2``).
- Named columns: a header such as ``index,frequency,raw`` or ``name;frequency;SPL`` picks the
  frequency column by name (``freq...``, ``Hz``) and the level column by name (``raw`` first, then
  ``SPL``, ``dB``, ``level``, ``magnitude``); without names, the first two columns.

Every malformed input raises a :class:`MeasurementError` subclass whose message names the
file (or the upload's name) and, where there is one, the line number, never the line's text:
missing or unreadable files, anything that is not a regular file (folders, FIFOs, devices),
empty files, files over 5 MB, wrong encodings, text or NaN where a number belongs,
non-increasing or duplicate frequencies, fewer than 10 points, frequencies outside 1 Hz - 100 kHz,
implausible levels (see :data:`LEVEL_LIMITS_DB` and :data:`MAX_SPREAD_DB`).
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from earwise.acoustics.response import FrequencyResponse
from earwise.core.errors import EarwiseError
from earwise.core.files import MAX_INPUT_BYTES, read_bytes_capped

MAX_FILE_BYTES = MAX_INPUT_BYTES  # core.files: 5 MB, 25x the largest AutoEq CSV
MIN_POINTS = 10
FREQ_LIMITS_HZ = (1.0, 100_000.0)
# Plausible levels, for absolute (dB SPL) and relative (dB, ~0 at 1 kHz) curves alike. Upper:
# ~194 dB SPL is the loudest undistorted sound possible in air (peak pressure = 1 atmosphere),
# so nothing above 200 dB is a sound pressure level. Lower: relative curves fall steeply where a
# rig's low-pass rolls off; the shared library reaches -182.4 dB (oratory1990 EarFun Wave at
# 20 kHz), so -200 dB keeps every real file while refusing garbage such as +-11,000 dB.
LEVEL_LIMITS_DB = (-200.0, 200.0)
# Within 20 Hz - 10 kHz (where measurements are reliable; the EQ fit band) a response spanning
# more than the whole range of hearing (~120 dB, threshold to pain) is no headphone. The shared
# library's largest spread there is 65.4 dB (Rtings Bose SoundWear). Above 10 kHz rig roll-offs
# reach -182 dB, so 20 kHz is not a usable upper edge.
MAX_SPREAD_DB = 120.0
SPREAD_BAND_HZ = (20.0, 10_000.0)
FILE_FIELD = "file"  # the input a measurement error points at (web loc, CLI message)

_COMMENT_PREFIXES = ("*", "#")
_SEPARATORS = (";", "\t", ",")  # tried in this order; none of them means whitespace
_NUMERIC_START = re.compile(r"^[+-]?(\d|[.,]\d)")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+([eE][+-]?\d+)?$")
_SPACED_NUMBER = re.compile(r"^[+-]?(\d+(,\d+)?|\d*,\d+)([eE][+-]?\d+)?$")
_FREQ_NAME = re.compile(r"^(freq|f$|f\s*\(|hz\b)|\bhz\b")
_LEVEL_NAME = re.compile(r"\b(spl|db|level|magnitude|mag|amplitude)\b")


class MeasurementError(EarwiseError):
    """A frequency response that cannot be read; the message names the file (and line number)."""

    def __init__(
        self, path: Path | str, problem: str, line: int | None = None, field: str = FILE_FIELD
    ) -> None:
        self.path, self.problem, self.line = Path(path), problem, line
        where = f"{path}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {problem}", field)


class UnreadableFileError(MeasurementError):
    """Missing, unreadable, or not a regular file (a folder, a FIFO, a device)."""


class EmptyFileError(MeasurementError):
    pass


class FileTooLargeError(MeasurementError):
    pass


class EncodingError(MeasurementError):
    pass


class NumberFormatError(MeasurementError):
    """Text or NaN where a number belongs, or too few columns."""


class FrequencyOrderError(MeasurementError):
    """Frequencies not strictly increasing (or duplicated)."""


class TooFewPointsError(MeasurementError):
    pass


class FrequencyRangeError(MeasurementError):
    pass


class LevelRangeError(MeasurementError):
    """Levels no sound can have: outside :data:`LEVEL_LIMITS_DB`, or a spread over
    :data:`MAX_SPREAD_DB` within :data:`SPREAD_BAND_HZ`."""


def measurement_path(ref: str, root: Path) -> Path:
    """Path of a catalog measurement reference ``"<Source>/<form>/<Name>"``."""
    source, form, name = ref.split("/", 2)
    return root / source / "data" / form / f"{name}.csv"


def _read_bytes(path: Path) -> bytes:
    """The file's bytes through :func:`~earwise.core.files.read_bytes_capped` (regular files
    only, non-blocking, 5 MB cap); its :class:`EarwiseError` becomes a :class:`MeasurementError`
    subclass with the same message and field."""
    try:
        return read_bytes_capped(path, MAX_FILE_BYTES, FILE_FIELD)
    except EarwiseError as exc:
        problem = str(exc).removeprefix(f"{path}: ")
        # core.files words every size refusal "... -byte limit"; everything else is unreadable.
        kind = FileTooLargeError if "-byte limit" in problem else UnreadableFileError
        raise kind(path, problem, field=exc.field or FILE_FIELD) from None


def _text(path: Path) -> str:
    raw = _read_bytes(path)
    if not raw.strip():
        raise EmptyFileError(path, "the file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EncodingError(path, "UTF-16 text; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(path, f"not UTF-8 text (byte {exc.start})") from None


def _separator(line: str) -> str | None:
    """The line's column separator: ``;``, else tab, else ``,``, else ``None`` (whitespace).

    A line with commas only inside space-separated numbers (``20,5 -3,2``) is space separated.
    """
    sep = next((s for s in _SEPARATORS if s in line), None)
    if sep == ",":
        words = line.split()
        if len(words) >= 2 and all(_SPACED_NUMBER.match(w) for w in words):
            return None
    return sep


def _split(line: str) -> list[str]:
    """Cells of ``line`` split on its own separator (see :func:`_separator`), stripped."""
    sep = _separator(line)
    return [c.strip() for c in (line.split(sep) if sep else line.split())]


def _header_columns(cells: list[str]) -> tuple[int, int]:
    """(frequency column, level column) named by a header row.

    Frequency: the first name starting ``freq`` (or naming Hz); else column 0. Level: ``raw``
    (AutoEq), else the first name with SPL / dB / level / magnitude, else the column after
    the frequency.
    """
    names = [c.lower() for c in cells]
    freq = next((i for i, c in enumerate(names) if c.startswith("freq")), None)
    if freq is None:
        freq = next((i for i, c in enumerate(names) if _FREQ_NAME.search(c)), 0)
    level = next((i for i, c in enumerate(names) if i != freq and c == "raw"), None)
    if level is None:
        level = next(
            (i for i, c in enumerate(names) if i != freq and _LEVEL_NAME.search(c)), freq + 1
        )
    return freq, level


def _number(cell: str, decimal_comma: bool) -> float:
    """``float(cell)``, reading ``20,5`` as 20.5 when the line uses decimal commas."""
    if decimal_comma and _DECIMAL_COMMA.match(cell):
        cell = cell.replace(",", ".")
    return float(cell)


def _rows(where: Path | str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse numeric rows, skipping blank and comment lines and one header line.

    Columns: named by the header (see :func:`_header_columns`), else the first two. A line
    separated by ``;``, tabs or spaces may use decimal commas (``20,5;-3,2``); a comma-separated
    line never does. Errors name the line number, never its text.
    """
    freq, level, lines = [], [], []
    columns = (0, 1)
    header_seen = False
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith(_COMMENT_PREFIXES):
            continue
        cells = _split(line)
        if columns == (0, 1):  # positional: empty cells (doubled separators) carry nothing
            cells = [c for c in cells if c]
        if not freq and not header_seen and cells and not _NUMERIC_START.match(cells[0]):
            header_seen = True
            columns = _header_columns(_split(line))
            continue
        fc, lc = columns
        if len(cells) <= max(fc, lc):
            raise NumberFormatError(
                where, f"expected at least {max(fc, lc) + 1} columns, found {len(cells)}", number
            )
        pair = (cells[fc], cells[lc])
        decimal_comma = _separator(line) != "," and not any("." in c for c in pair)
        try:
            f, db = _number(pair[0], decimal_comma), _number(pair[1], decimal_comma)
        except ValueError:
            raise NumberFormatError(where, "not a number where one belongs", number) from None
        if not (np.isfinite(f) and np.isfinite(db)):
            raise NumberFormatError(where, "NaN or infinite value", number)
        freq.append(f)
        level.append(db)
        lines.append(number)
    return _validate(where, np.array(freq), np.array(level), lines)


def _validate(
    where: Path | str, f: np.ndarray, db: np.ndarray, lines: list[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Check count, order, frequency range and levels; ``lines`` maps points to line numbers
    (default: row i+2, after a one-line header)."""

    def line(i: int) -> int:
        return lines[i] if lines is not None else i + 2

    if len(f) < MIN_POINTS:
        raise TooFewPointsError(where, f"{len(f)} data points; at least {MIN_POINTS} are needed")
    bad = np.flatnonzero(np.diff(f) <= 0)
    if len(bad):
        i = int(bad[0]) + 1
        kind = "duplicate" if f[i] == f[i - 1] else "decreasing"
        raise FrequencyOrderError(where, f"{kind} frequency {f[i]:g} Hz", line(i))
    out = np.flatnonzero((f < FREQ_LIMITS_HZ[0]) | (f > FREQ_LIMITS_HZ[1]))
    if len(out):
        i = int(out[0])
        raise FrequencyRangeError(where, f"frequency {f[i]:g} Hz is outside 1 Hz-100 kHz", line(i))
    _check_levels(where, f, db, line)
    return f, db


def _check_levels(
    where: Path | str, f: np.ndarray, db: np.ndarray, line: Callable[[int], int]
) -> None:
    """Refuse levels outside :data:`LEVEL_LIMITS_DB` or spreading over :data:`MAX_SPREAD_DB`
    within :data:`SPREAD_BAND_HZ` (reasons at the constants)."""
    lo_db, hi_db = LEVEL_LIMITS_DB
    out = np.flatnonzero((db < lo_db) | (db > hi_db))
    if len(out):
        i = int(out[0])
        raise LevelRangeError(
            where,
            f"level {db[i]:.4g} dB is outside {lo_db:g} to +{hi_db:g} dB; not a frequency response",
            line(i),
        )
    band = np.flatnonzero((f >= SPREAD_BAND_HZ[0]) & (f <= SPREAD_BAND_HZ[1]))
    if len(band) < 2:
        return
    lo, hi = band[np.argmin(db[band])], band[np.argmax(db[band])]
    spread_db = float(db[hi] - db[lo])
    if spread_db > MAX_SPREAD_DB:
        raise LevelRangeError(
            where,
            f"levels span {spread_db:.0f} dB between 20 Hz and 10 kHz (lines {line(int(lo))} and "
            f"{line(int(hi))}), over the {MAX_SPREAD_DB:g} dB range of hearing; "
            "not a frequency response",
        )


def _fast_autoeq(text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Vectorised parse of a clean two-column AutoEq CSV; ``None`` sends it to the slow path,
    which finds and names the bad line."""
    head, _, body = text.partition("\n")
    if head.strip().lower().replace(" ", "") != "frequency,raw":
        return None
    flat = body.replace("\r", "").strip().replace("\n", ",")
    expected = flat.count(",") + 1
    if not flat or expected % 2:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = np.fromstring(flat, sep=",")
    except ValueError:
        return None
    if len(values) != expected or not np.all(np.isfinite(values)):
        return None
    return values[0::2], values[1::2]


def _parse(
    text: str, where: Path | str, name: str, require_frequency_header: bool = False
) -> FrequencyResponse:
    """The response in ``text``; errors name ``where`` (a path or an upload's name)."""
    if not text.strip():
        raise EmptyFileError(where, "the file is empty")
    fast = _fast_autoeq(text)
    if fast is not None:
        return FrequencyResponse(*_validate(where, *fast), name)
    if require_frequency_header:
        first = text.lstrip().partition("\n")[0].lower()
        if "frequency" not in first:
            raise NumberFormatError(where, "missing the 'frequency,raw' header", 1)
    return FrequencyResponse(*_rows(where, text), name)


def parse_measurement_text(text: str, name: str) -> FrequencyResponse:
    """A response from text that arrived without a file (an upload), in any supported format.

    ``name`` labels the response and every error message (never the text itself). Text longer
    than :data:`MAX_FILE_BYTES` characters is refused, as a file of that size would be.
    """
    if len(text) > MAX_FILE_BYTES:
        raise FileTooLargeError(
            name, f"{len(text):,} characters is over the {MAX_FILE_BYTES:,}-byte limit"
        )
    return _parse(text.removeprefix("\ufeff"), name, name)


def read_autoeq_csv(path: Path | str, name: str | None = None) -> FrequencyResponse:
    """Read an AutoEq ``frequency,raw`` CSV (a header naming the frequency column is required)."""
    path = Path(path)
    return _parse(_text(path), path, name or path.stem, require_frequency_header=True)


def read_rew_txt(path: Path | str, name: str | None = None) -> FrequencyResponse:
    """Read a REW text export (``*`` comments; frequency, SPL, optional phase)."""
    path = Path(path)
    return _parse(_text(path), path, name or path.stem)


def read_squig_txt(path: Path | str, name: str | None = None) -> FrequencyResponse:
    """Read squig.link / CrinGraph text (tab or comma separated, optional header)."""
    return read_rew_txt(path, name)


def read_measurement(path: Path | str, name: str | None = None) -> FrequencyResponse:
    """Read any supported format (the parser recognises each by its lines)."""
    return read_rew_txt(path, name)


def write_autoeq_csv(fr: FrequencyResponse, path: Path | str) -> Path:
    """Write ``frequency,raw`` with two decimals (AutoEq's own precision)."""
    path = Path(path)
    rows = "\n".join(f"{f:.2f},{db:.2f}" for f, db in zip(fr.freq_hz, fr.raw_db, strict=True))
    path.write_text("frequency,raw\n" + rows + "\n", encoding="utf-8")
    return path


def read_autoeq_many(paths: list[Path]) -> tuple[list[FrequencyResponse | None], dict[Path, str]]:
    """Read many AutoEq CSVs at once: numpy's C parser over all clean files in one call.

    Returns the responses (``None`` where a file failed) and the problems by path. Any file
    the batch cannot take (odd header, stray text, NaN) is read on its own by
    :func:`read_autoeq_csv`, which names the bad line. Frequency columns are validated once per
    distinct column (most files of a library share one grid); levels are checked per file.
    """
    out: list[FrequencyResponse | None] = [None] * len(paths)
    problems: dict[Path, str] = {}
    batch, bodies, rows = [], [], []
    for i, path in enumerate(paths):
        try:
            raw = _read_bytes(path)
        except MeasurementError as exc:
            problems[path] = str(exc)
            continue
        head, _, body = raw.partition(b"\n")
        body = body.strip().replace(b"\r", b"")
        if head.strip().lower() == b"frequency,raw" and body:
            batch.append(i)
            bodies.append(body)
            rows.append(body.count(b"\n") + 1)
        else:
            _read_slow(path, out, i, problems)
    data = None
    if bodies:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                data = np.loadtxt(
                    io.BytesIO(b"\n".join(bodies)), delimiter=",", dtype=float, ndmin=2
                )
        except ValueError:
            data = None
        if data is not None and (data.shape != (sum(rows), 2) or not np.isfinite(data).all()):
            data = None
    if data is None:
        for i in batch:
            _read_slow(paths[i], out, i, problems)
        return out, problems
    checked: set[bytes] = set()
    for i, chunk in zip(batch, np.split(data, np.cumsum(rows)[:-1]), strict=True):
        f, db = chunk[:, 0].copy(), chunk[:, 1].copy()
        key = f.tobytes()
        try:
            if key not in checked:
                _validate(paths[i], f, db)
                checked.add(key)
            else:
                _check_levels(paths[i], f, db, lambda j: j + 2)
            out[i] = FrequencyResponse(f, db, paths[i].stem)
        except MeasurementError as exc:
            problems[paths[i]] = str(exc)
    return out, problems


def _read_slow(path: Path, out: list, i: int, problems: dict) -> None:
    try:
        out[i] = read_autoeq_csv(path)
    except MeasurementError as exc:
        problems[path] = str(exc)
