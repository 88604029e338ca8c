"""Frequency-response readers and writer: every format, every malformed input, round trips."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earwise.acoustics import io
from earwise.acoustics.response import FrequencyResponse, standard_grid

F = np.geomspace(20, 20000, 40)
DB = np.sin(np.linspace(0, 6, 40)) * 5


def write(tmp_path, text: str | bytes, name: str = "m.txt"):
    path = tmp_path / name
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


def autoeq_text() -> str:
    return (
        "frequency,raw\n" + "\n".join(f"{f:.2f},{d:.2f}" for f, d in zip(F, DB, strict=True)) + "\n"
    )


def test_autoeq_csv(tmp_path):
    fr = io.read_autoeq_csv(write(tmp_path, autoeq_text(), "a.csv"))
    assert len(fr.freq_hz) == 40 and fr.raw_db == pytest.approx(np.round(DB, 2))


def test_rew_export(tmp_path):
    text = (
        "* Measurement data measured by REW V5.20.13\n* Source: Headphones, HD 600\n"
        "* Format: 1/48 octave smoothing\n* Freq(Hz) SPL(dB) Phase(degrees)\n"
        + "\n".join(f"{f:.3f} {d + 80:.3f} {-45.0:.4f}" for f, d in zip(F, DB, strict=True))
    )
    fr = io.read_rew_txt(write(tmp_path, text))
    assert fr.raw_db == pytest.approx(DB + 80, abs=1e-3)


@pytest.mark.parametrize("sep", ["\t", ",", "; "])
@pytest.mark.parametrize("header", ["", "Frequency\tdB\n", "* squig.link export\nfreq,db\n"])
def test_squig_text(tmp_path, sep, header):
    body = "\n".join(f"{f:.4f}{sep}{d:.4f}" for f, d in zip(F, DB, strict=True))
    fr = io.read_squig_txt(write(tmp_path, header + body))
    assert fr.freq_hz == pytest.approx(F, abs=1e-4)


def test_read_measurement_detects_format(tmp_path):
    assert len(io.read_measurement(write(tmp_path, autoeq_text(), "a.csv")).freq_hz) == 40
    rew = "* REW\n" + "\n".join(f"{f} {d}" for f, d in zip(F, DB, strict=True))
    assert len(io.read_measurement(write(tmp_path, rew)).freq_hz) == 40


@pytest.mark.parametrize(
    "content,error,line",
    [
        ("", io.EmptyFileError, None),
        ("   \n\n", io.EmptyFileError, None),
        (
            "frequency,raw\n20,1\n30,abc\n" + "\n".join(f"{40 + i},0" for i in range(10)),
            io.NumberFormatError,
            3,
        ),
        (
            "frequency,raw\n20,1\n30,nan\n" + "\n".join(f"{40 + i},0" for i in range(10)),
            io.NumberFormatError,
            3,
        ),
        (
            "frequency,raw\n" + "\n".join(f"{20 + i},0" for i in range(5)),
            io.TooFewPointsError,
            None,
        ),
        (
            "frequency,raw\n" + "\n".join(f"{20 + i},0" for i in range(12)) + "\n25,0",
            io.FrequencyOrderError,
            14,
        ),
        (
            "frequency,raw\n" + "\n".join(f"{20 + i},0" for i in range(12)) + "\n31,0",
            io.FrequencyOrderError,
            14,
        ),
        (
            "frequency,raw\n0.5,0\n" + "\n".join(f"{20 + i},0" for i in range(12)),
            io.FrequencyRangeError,
            2,
        ),
        (
            "frequency,raw\n" + "\n".join(f"{20 + i},0" for i in range(12)) + "\n200000,0",
            io.FrequencyRangeError,
            14,
        ),
        ("20,1\n30,2\n", io.NumberFormatError, 1),
    ],
)
def test_malformed_inputs_name_file_and_line(tmp_path, content, error, line):
    path = write(tmp_path, content, "bad.csv")
    with pytest.raises(error) as info:
        io.read_autoeq_csv(path)
    assert "bad.csv" in str(info.value)
    if line is not None:
        assert info.value.line == line and f"line {line}" in str(info.value)


def test_wrong_encodings_and_size(tmp_path):
    utf16 = autoeq_text().encode("utf-16")
    with pytest.raises(io.EncodingError):
        io.read_measurement(write(tmp_path, utf16))
    with pytest.raises(io.EncodingError):
        io.read_measurement(write(tmp_path, b"frequency,raw\n20,\xff\xfe1\n"))
    big = write(tmp_path, b"0" * (io.MAX_FILE_BYTES + 1))
    with pytest.raises(io.FileTooLargeError):
        io.read_measurement(big)


def test_missing_file(tmp_path):
    with pytest.raises(io.MeasurementError, match="no such file"):
        io.read_measurement(tmp_path / "nope.csv")


def test_writer_round_trip(tmp_path):
    fr = FrequencyResponse(F, DB, "x")
    back = io.read_autoeq_csv(io.write_autoeq_csv(fr, tmp_path / "x.csv"))
    assert back.freq_hz == pytest.approx(F, abs=0.005) and back.raw_db == pytest.approx(
        DB, abs=0.005
    )


def test_batch_reader_matches_single_reader(tmp_path):
    good = write(tmp_path, autoeq_text(), "good.csv")
    odd = write(
        tmp_path,
        "frequency,raw\n" + "\n".join(f"{f:.5e},{d}" for f, d in zip(F, DB, strict=True)),
        "odd.csv",
    )
    bad = write(tmp_path, "frequency,raw\n20,1\n10,1\n", "bad.csv")
    out, problems = io.read_autoeq_many([good, odd, bad])
    assert out[0].raw_db == pytest.approx(io.read_autoeq_csv(good).raw_db)
    assert out[1].freq_hz == pytest.approx(F, rel=1e-4)
    assert out[2] is None and "bad.csv" in problems[bad]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise_anything_else(tmp_path, data):
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    with contextlib.suppress(io.MeasurementError):
        io.read_measurement(path)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.floats(-40, 40, allow_nan=False), min_size=10, max_size=80),
    st.floats(1.001, 1.5),
)
def test_round_trip_property(tmp_path, levels, step):
    f = 20.0 * step ** np.arange(len(levels))
    f = f[f <= 100_000]
    fr = FrequencyResponse(np.round(f, 2), np.round(np.array(levels[: len(f)]), 2))
    if len(fr.freq_hz) < 10 or np.any(np.diff(fr.freq_hz) <= 0):
        return
    back = io.read_autoeq_csv(io.write_autoeq_csv(fr, tmp_path / "p.csv"))
    assert back.freq_hz == pytest.approx(fr.freq_hz) and back.raw_db == pytest.approx(fr.raw_db)


def test_standard_grid_matches_autoeq():
    g = standard_grid()
    assert len(g) == 695 and g[0] == 20.0 and g[-1] == pytest.approx(19955.54, abs=0.01)


# --- hardening: decimal commas, named columns, implausible levels, special files, uploads ------


def rows_text(sep: str, decimal: str, header: str = "", prefix=lambda i: []) -> str:
    lines = [header] if header else []
    for i, (f, d) in enumerate(zip(F, DB, strict=True)):
        cells = [*prefix(i), f"{f:.3f}".replace(".", decimal), f"{d:.3f}".replace(".", decimal)]
        lines.append(sep.join(cells))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        rows_text(";", ","),
        rows_text(";", ",", "frequency;raw"),
        rows_text("; ", ",", "Frequency; SPL (dB)"),
        rows_text("\t", ","),
        rows_text(" ", ","),
        rows_text(";", "."),
        rows_text(",", ".", "frequency,raw"),
    ],
    ids=["semicolon", "semicolon-header", "semicolon-space", "tab", "space", "dots", "autoeq"],
)
def test_decimal_commas_read_right(tmp_path, text):
    """Regression: `20,5;-3,2` was read as 20 Hz / 5 dB (bands off by ~50 dB)."""
    fr = io.read_measurement(write(tmp_path, text, "eu.csv"))
    assert fr.freq_hz == pytest.approx(F, abs=5e-4)
    assert fr.raw_db == pytest.approx(DB, abs=5e-4)


@pytest.mark.parametrize(
    "header,prefix",
    [
        ("index,frequency,raw", lambda i: [str(i)]),
        ("name,frequency,raw", lambda i: ["Sennheiser HD 600"]),
        ("name;frequency;raw", lambda i: ["HD 600, left"]),
        ("Point,Freq(Hz),Phase,SPL(dB)", lambda i: [str(i + 1)]),
    ],
)
def test_named_frequency_column_not_first(tmp_path, header, prefix):
    """Regression: a named column before the frequency was refused."""
    sep = ";" if ";" in header else ","
    if "Phase" in header:  # frequency, then phase, then the level: the level is found by name
        lines = [header] + [
            f"{i + 1},{f:.3f},-45.0,{d:.3f}" for i, (f, d) in enumerate(zip(F, DB, strict=True))
        ]
        text = "\n".join(lines)
    else:
        text = rows_text(sep, ".", header, prefix)
    fr = io.read_measurement(write(tmp_path, text, "named.csv"))
    assert fr.freq_hz == pytest.approx(F, abs=5e-4)
    assert fr.raw_db == pytest.approx(DB, abs=5e-4)


def absurd(levels: np.ndarray) -> str:
    return "frequency,raw\n" + "\n".join(f"{f:.2f},{d:.2f}" for f, d in zip(F, levels, strict=True))


@pytest.mark.parametrize(
    "levels,line",
    [
        (np.where(np.arange(40) == 7, 11_000.0, DB), 9),
        (np.where(np.arange(40) == 3, -11_000.0, DB), 5),
        (DB + 250.0, 2),
        (np.where(F < 1000, 0.0, -130.0), None),  # in limits, but a 130 dB spread below 10 kHz
    ],
    ids=["+11000", "-11000", "all-over-200", "spread"],
)
def test_implausible_levels_refused(tmp_path, levels, line):
    """Regression: absurd files were analysed into +-11,000 dB."""
    path = write(tmp_path, absurd(levels), "absurd.csv")
    for read in (io.read_autoeq_csv, io.read_measurement):
        with pytest.raises(io.LevelRangeError) as info:
            read(path)
        assert info.value.line == line and "absurd.csv" in str(info.value)
    out, problems = io.read_autoeq_many([path])
    assert out == [None] and "not a frequency response" in problems[path]


def test_level_limits_keep_steep_real_roll_offs(tmp_path):
    """A -180 dB roll-off above 10 kHz (as oratory1990's EarFun Wave has) still reads."""
    levels = np.where(F > 12_000, -180.0, DB)
    assert len(io.read_measurement(write(tmp_path, absurd(levels), "rolloff.csv")).freq_hz) == 40


def test_batch_reader_checks_levels_of_files_sharing_a_grid(tmp_path):
    good = write(tmp_path, autoeq_text(), "good.csv")
    bad = write(tmp_path, absurd(DB + 500), "bad.csv")
    out, problems = io.read_autoeq_many([good, bad])
    assert out[0] is not None and out[1] is None and "bad.csv" in problems[bad]


def test_every_shared_measurement_still_reads(measurements):
    paths = sorted(measurements.rglob("*.csv"))
    out, problems = io.read_autoeq_many(paths)
    assert problems == {} and all(fr is not None for fr in out)


@pytest.mark.parametrize("kind", ["fifo", "folder", "dev-zero", "dev-null"])
def test_special_files_refused_at_once(tmp_path, kind):
    """FIFOs, folders and devices give a clear error at once (no hang, no unbounded read)."""
    import os

    if kind == "fifo":
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
    elif kind == "folder":
        path = tmp_path / "folder.csv"
        path.mkdir()
    else:
        path = io.Path("/dev/zero" if kind == "dev-zero" else "/dev/null")
    for read in (io.read_measurement, io.read_autoeq_csv, io.read_rew_txt):
        with pytest.raises(io.UnreadableFileError) as info:
            read(path)
        assert info.value.field == "file" and str(path) in str(info.value)
        assert isinstance(info.value, io.MeasurementError)
    out, problems = io.read_autoeq_many([path])
    assert out == [None] and str(path) in problems[path]


SECRET = "hunter2-SECRET"


@pytest.mark.parametrize(
    "text",
    [
        f"frequency,raw\n20,1\n30,{SECRET}\n" + "\n".join(f"{40 + i},0" for i in range(10)),
        f"frequency,raw\n20,1\n{SECRET}\n" + "\n".join(f"{40 + i},0" for i in range(10)),
        f"frequency,raw\n20,1\n30 {SECRET}\n",
        f"{SECRET},{SECRET}\n{SECRET};1\n",
        f"index,frequency,raw\n0,20,1\n{SECRET}\n",
        f"frequency,raw\n20,1\n30,nan {SECRET}\n",
    ],
)
def test_errors_never_echo_file_contents(tmp_path, text):
    with pytest.raises(io.MeasurementError) as info:
        io.read_measurement(write(tmp_path, text, "leak.csv"))
    assert SECRET.lower() not in str(info.value).lower()
    with pytest.raises(io.MeasurementError) as info:
        io.parse_measurement_text(text, "upload.csv")
    assert SECRET.lower() not in str(info.value).lower() and "upload.csv" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [autoeq_text(), rows_text(";", ",", "frequency;raw"), rows_text("\t", ".", "Frequency\tdB")],
)
def test_parse_measurement_text_matches_the_file_reader(tmp_path, text):
    from earwise.acoustics.targets import parse_target_text

    from_file = io.read_measurement(write(tmp_path, text, "same.csv"))
    for fr in (io.parse_measurement_text(text, "same"), parse_target_text(text, "same")):
        assert fr.name == "same"
        assert fr.freq_hz == pytest.approx(from_file.freq_hz, abs=1e-12)
        assert fr.raw_db == pytest.approx(from_file.raw_db, abs=1e-12)


@pytest.mark.parametrize(
    "text,error",
    [
        ("", io.EmptyFileError),
        ("  \n", io.EmptyFileError),
        ("x" * (io.MAX_FILE_BYTES + 1), io.FileTooLargeError),
        ("frequency,raw\n20,1\n", io.TooFewPointsError),
        (absurd(DB + 1000), io.LevelRangeError),
    ],
)
def test_parse_text_errors_name_the_upload(text, error):
    from earwise.acoustics.targets import parse_target_text

    for parse in (io.parse_measurement_text, parse_target_text):
        with pytest.raises(error) as info:
            parse(text, "my upload.txt")
        assert str(info.value).startswith("my upload.txt") and info.value.field == "file"


def test_error_message_sources_never_format_line_text():
    """No message in io.py formats the raw line (only its number)."""
    import inspect

    source = inspect.getsource(io)
    assert "{line" not in source.replace("{line(", "").replace("{line}", "")
    assert "raw_line!r" not in source and "{cells" not in source
