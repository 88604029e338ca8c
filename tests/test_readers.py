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
    with pytest.raises(io.MeasurementError, match="cannot open"):
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
