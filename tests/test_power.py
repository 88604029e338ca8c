"""Drive physics against public calculators' worked numbers."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from earwise.acoustics import power

# HD 600: 97 dB SPL/mW, 300 ohm. Public calculators (e.g. the DIYAudioHeaven / headphones.com
# "headphone power calculator"): 110 dB needs ~2.45 V and ~20 mW; 1 V reaches ~102 dB.
HD600_MW, HD600_Z = 97.0, 300.0


def test_hd600_voltage_and_power_for_110_db():
    s_v = power.spl_per_v_from_mw(HD600_MW, HD600_Z)
    v = power.volts_for_level(110, s_v)
    assert v == pytest.approx(2.45, abs=0.01)
    assert power.milliwatts(v, HD600_Z) == pytest.approx(20.0, abs=0.1)
    assert power.milliamps(v, HD600_Z) == pytest.approx(8.16, abs=0.02)


def test_hd600_level_at_one_volt():
    assert power.level_for_volts(1.0, power.spl_per_v_from_mw(HD600_MW, HD600_Z)) == pytest.approx(
        102.2, abs=0.1
    )


def test_k712_seed_example():
    # The Master Switch seed: AKG K712, 62 ohm, 105 dB SPL/V -> 92.9 dB SPL/mW.
    assert power.spl_per_mw_from_v(105, 62) == pytest.approx(92.92, abs=0.01)
    assert power.level_for_volts(2.0, 105) == pytest.approx(111.0, abs=0.05)


@given(st.floats(70, 130), st.floats(4, 1000))
def test_unit_conversion_round_trip(s_mw, z):
    assert power.spl_per_mw_from_v(power.spl_per_v_from_mw(s_mw, z), z) == pytest.approx(s_mw)


def test_limits_from_ratings_reveal_current_limit():
    # 2 Vrms into 300 ohm but only 100 mW into 16 ohm (1.26 V): current-limited at 79 mA.
    lim = power.limits_from_ratings([(2.0, None, 300.0), (None, 100.0, 16.0)], 0.5)
    assert lim.v_open_vrms == pytest.approx(2.0 * 300.5 / 300)
    assert lim.max_current_ma == pytest.approx(math.sqrt(0.1 * 16) / 16 * 1000, rel=1e-6)
    assert power.current_limited(lim, 16.0)
    assert not power.current_limited(lim, 300.0)
    assert power.volts_at_load(lim, 16.0) == pytest.approx(math.sqrt(0.1 * 16), rel=1e-6)


def test_a_lower_voltage_into_a_higher_load_is_another_mode_not_a_current_limit():
    """The MacBook Air (2024) jack (Audio Science Review): 2.97 V into 300 ohm, 1.25 V into 30 ohm,
    and 1.0 V line level into 4.7 kohm. The line mode is no current limit (it implied 0.21 mA and
    turned every IEM into "70 dB SPL, add an amp"); the 30 ohm rating is one (41.7 mA)."""
    lim = power.limits_from_ratings(
        [(1.25, None, 30.0), (2.97, None, 300.0), (1.0, None, 4700.0)], None
    )
    assert lim.max_current_ma == pytest.approx(1.25 / 30 * 1000, rel=1e-6)
    assert power.volts_at_load(lim, 32.0) == pytest.approx(1.333, abs=0.001)


def test_zout_divider_and_loss():
    lim = power.SourceLimits(1.0, 10.0)
    assert power.volts_at_load(lim, 10.0) == pytest.approx(0.5)
    assert power.zout_level_loss_db(10.0, 10.0) == pytest.approx(-6.02, abs=0.01)
    levels = power.peak_level(lim, np.array([100.0, 110.0]), np.array([32.0, 32.0]))
    assert levels[1] - levels[0] == pytest.approx(10.0)
