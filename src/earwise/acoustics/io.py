"""Reading and writing frequency responses.

Formats:
- AutoEq CSV: header ``frequency,raw`` (more columns are ignored), comma separated.
- REW text export: ``*`` comment lines, then ``freq spl [phase]`` separated by spaces, tabs or commas.
- squig.link / CrinGraph text: optional ``*`` comments and an optional header line, then
  ``freq<TAB or comma>dB`` rows.

Every malformed input raises a :class:`MeasurementError` subclass whose message names the
file and, where there is one, the line: empty files, files over 5 MB, wrong encodings, text
or NaN where a number belongs, non-increasing or duplicate frequencies, fewer than 10 points,
frequencies outside 1 Hz - 100 kHz.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from pathlib import Path

import numpy as np

from earwise.acoustics.response import FrequencyResponse
from earwise.core.errors import EarwiseError

MEASUREMENTS_ENV = "EARWISE_MEASUREMENTS"
REPO_ROOT = Path(__file__).resolve().parents[3]
MAX_FILE_BYTES = 5 * 1024 * 1024
MIN_POINTS = 10
FREQ_LIMITS_HZ = (1.0, 100_000.0)
_SPLIT = re.compile(r"[,\t; ]+")


class MeasurementError(EarwiseError):
    """A frequency-response file that cannot be read; the message names the file (and line)."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = Path(path), problem, line
        where = f"{path}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {problem}")


class EmptyFileError(MeasurementError):
    pass


class FileTooLargeError(MeasurementError):
    pass


class EncodingError(MeasurementError):
    pass


class NumberFormatError(MeasurementError):
    """Text or NaN where a number belongs."""


class FrequencyOrderError(MeasurementError):
    """Frequencies not strictly increasing (or duplicated)."""


class TooFewPointsError(MeasurementError):
    pass


class FrequencyRangeError(MeasurementError):
    pass


def measurements_dir() -> Path:
    """The shared measurements folder (``EARWISE_MEASUREMENTS`` or ``../shared/measurements``)."""
    env = os.environ.get(MEASUREMENTS_ENV)
    return Path(env) if env else REPO_ROOT.parent / "shared" / "measurements"


def measurement_path(ref: str, root: Path | None = None) -> Path:
    """Path of a catalog measurement reference ``"<Source>/<form>/<Name>"``."""
    source, form, name = ref.split("/", 2)
    return (root or measurements_dir()) / source / "data" / form / f"{name}.csv"


def _text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise MeasurementError(path, f"cannot open ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise FileTooLargeError(path, f"{size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit")
    raw = path.read_bytes()
    if not raw.strip():
        raise EmptyFileError(path, "the file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EncodingError(path, "UTF-16 text; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(path, f"not UTF-8 text (byte {exc.start})") from None


def _rows(path: Path, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse numeric rows (first two columns), skipping comments and one header line."""
    freq, level, lines = [], [], []
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith(("*", "#")):
            continue
        cells = [c for c in _SPLIT.split(line) if c]
        if len(cells) < 2:
            raise NumberFormatError(path, f"expected 'frequency, level', got {line[:40]!r}", number)
        try:
            f, db = float(cells[0]), float(cells[1])
        except ValueError:
            if not freq and not header_seen and not _looks_numeric(cells[0]):
                header_seen = True
                continue
            raise NumberFormatError(path, f"not a number in {line[:40]!r}", number) from None
        if not (np.isfinite(f) and np.isfinite(db)):
            raise NumberFormatError(path, f"NaN or infinite value in {line[:40]!r}", number)
        freq.append(f)
        level.append(db)
        lines.append(number)
    return _validate(path, np.array(freq), np.array(level), lines)


def _looks_numeric(cell: str) -> bool:
    return bool(re.match(r"^[+-]?(\d|\.\d)", cell))


def _validate(
    path: Path, f: np.ndarray, db: np.ndarray, lines: list[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Check count, order and range; ``lines`` maps points to file lines (default: row i+2)."""

    def line(i: int) -> int:
        return lines[i] if lines is not None else i + 2

    if len(f) < MIN_POINTS:
        raise TooFewPointsError(path, f"{len(f)} data points; at least {MIN_POINTS} are needed")
    bad = np.flatnonzero(np.diff(f) <= 0)
    if len(bad):
        i = int(bad[0]) + 1
        kind = "duplicate" if f[i] == f[i - 1] else "decreasing"
        raise FrequencyOrderError(path, f"{kind} frequency {f[i]:g} Hz", line(i))
    out = np.flatnonzero((f < FREQ_LIMITS_HZ[0]) | (f > FREQ_LIMITS_HZ[1]))
    if len(out):
        i = int(out[0])
        raise FrequencyRangeError(path, f"frequency {f[i]:g} Hz is outside 1 Hz-100 kHz", line(i))
    return f, db


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


def read_autoeq_csv(path: Path | str, name: str | None = None) -> FrequencyResponse:
    """Read an AutoEq ``frequency,raw`` CSV."""
    path = Path(path)
    text = _text(path)
    fast = _fast_autoeq(text)
    if fast is not None:
        f, db = _validate(path, *fast)
    else:
        first = text.lstrip().partition("\n")[0].lower()
        if "frequency" not in first:
            raise NumberFormatError(path, "missing the 'frequency,raw' header", 1)
        f, db = _rows(path, text)
    return FrequencyResponse(f, db, name or path.stem)


def read_rew_txt(path: Path | str, name: str | None = None) -> FrequencyResponse:
    """Read a REW text export (``*`` comments; frequency, SPL, optional phase)."""
    path = Path(path)
    f, db = _rows(path, _text(path))
    return FrequencyResponse(f, db, name or path.stem)


def read_squig_txt(path: Path | str, name: str | None = None) -> FrequencyResponse:
    """Read squig.link / CrinGraph text (tab or comma separated, optional header)."""
    return read_rew_txt(path, name)


def read_measurement(path: Path | str, name: str | None = None) -> FrequencyResponse:
    """Read any supported format, chosen by the file's first meaningful line."""
    path = Path(path)
    text = _text(path)
    first = next((x.strip() for x in text.splitlines() if x.strip()), "")
    if first.lower().replace(" ", "").startswith("frequency,"):
        return read_autoeq_csv(path, name)
    return FrequencyResponse(*_rows(path, text), name or path.stem)


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
    distinct column (most files of a library share one grid).
    """
    out: list[FrequencyResponse | None] = [None] * len(paths)
    problems: dict[Path, str] = {}
    batch, bodies, rows = [], [], []
    for i, path in enumerate(paths):
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise FileTooLargeError(path, f"over the {MAX_FILE_BYTES:,}-byte limit")
            raw = path.read_bytes()
        except OSError as exc:
            problems[path] = str(MeasurementError(path, f"cannot open ({exc.strerror})"))
            continue
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
            out[i] = FrequencyResponse(f, db, paths[i].stem)
        except MeasurementError as exc:
            problems[paths[i]] = str(exc)
    return out, problems


def _read_slow(path: Path, out: list, i: int, problems: dict) -> None:
    try:
        out[i] = read_autoeq_csv(path)
    except MeasurementError as exc:
        problems[path] = str(exc)
