"""Hypothesis over the service layer's requests: whatever a caller passes, only the typed
:class:`EarwiseError` escapes (never a ValueError, KeyError, OverflowError or ZeroDivisionError)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earwise import service
from earwise.core.errors import EarwiseError
from earwise.service import requests as Q

NAMES = ["HD 600", "Sennheiser HD 650", "K371", "AirPods Pro 2", "Stax SR-009", "generic laptop",
         "Schiit Magni", "Apple USB-C adapter", "", " ", "Zzyzx"]  # fmt: skip
HOSTILE_FLOATS = st.sampled_from(
    [float("inf"), float("-inf"), float("nan"), 1e309, -1.0, 0.0, 1e-300, 1e12, 2**63]
)
numbers = st.one_of(st.none(), HOSTILE_FLOATS, st.floats(-1e6, 1e6), st.integers(-(10**9), 10**9))
texts = st.one_of(
    st.sampled_from(NAMES),
    st.text(max_size=40),
    st.text(min_size=190, max_size=260),
    st.sampled_from(["1,2,3", "$1,500", "inf", "nan", "1e309", "-5", "350", "rock:inf", "rock:20",
                     "jazz", "polka:x", "quiet", "loud", "120", "🎧", "/etc/passwd", "../../x"]),
)  # fmt: skip
maybe_text = st.one_of(st.none(), texts)
lists = st.lists(texts, max_size=4)
CHOICE = st.one_of(st.none(), st.sampled_from(["over-ear", "open", "closed", "small", "more",
                                                "warm", "spaceship", "", "harman", "more-bass"]))  # fmt: skip

profiles = st.builds(
    Q.ProfileRequest, genre=lists, use=lists, platform=lists, budget=st.one_of(maybe_text, numbers),
    min_price=numbers, source=maybe_text, source_vrms=numbers, source_zout=numbers, form=CHOICE,
    back=CHOICE, wireless=st.one_of(st.none(), st.booleans()), max_weight=numbers, head=CHOICE,
    bass=CHOICE, tonality=CHOICE, level=st.one_of(maybe_text, numbers), owned=lists,
)  # fmt: skip
needs = st.builds(Q.NeedRequest, level=st.one_of(maybe_text, numbers), genre=lists)

USE_CASES = {
    "recommend": (service.recommend, lambda: st.builds(Q.RecommendRequest, profile=profiles, top=numbers)),
    "kit": (service.kit, lambda: st.builds(Q.KitRequest, profile=profiles, max_items=numbers)),
    "show": (service.show, lambda: st.builds(Q.NameRequest, name=texts)),
    "compare": (service.compare, lambda: st.builds(Q.CompareRequest, names=lists)),
    "search": (service.search, lambda: st.builds(
        Q.SearchRequest, form=CHOICE, back=CHOICE, platform=maybe_text, brand=maybe_text,
        max_price=numbers, min_price=numbers, sort=st.one_of(texts, st.just("score")), limit=numbers)),
    "best": (service.best, lambda: st.builds(Q.BestRequest, category=st.one_of(st.none(), st.sampled_from(
        ["overall", "under", "gaming", "nope"])), under=numbers, top=numbers)),
    "drive": (service.drive, lambda: st.builds(Q.DriveRequest, headphone=texts, source=maybe_text,
                                               vrms=numbers, zout=numbers, max_ma=numbers, need=needs)),
    "amps_for": (service.amps_for, lambda: st.builds(Q.AmpsForRequest, headphone=texts,
                                                     budget=st.one_of(maybe_text, numbers), need=needs)),
    "chain": (service.chain, lambda: st.builds(Q.ChainRequest, headphone=texts, source=maybe_text,
                                               dac=maybe_text, amp=maybe_text, need=needs)),
    "explain": (service.explain, lambda: st.builds(Q.ExplainRequest, name=maybe_text,
                                                   text=st.one_of(st.none(), st.text(max_size=300)),
                                                   source=maybe_text, need=needs)),
    "ask": (service.ask, lambda: st.builds(Q.AskRequest, text=st.one_of(texts, st.text(max_size=300)))),
    "analyze": (service.analyze, lambda: st.builds(Q.AnalyzeRequest, name=texts, target=CHOICE)),
    "similar": (service.similar, lambda: st.builds(Q.SimilarRequest, name=texts, top=numbers)),
}  # fmt: skip


@pytest.mark.parametrize("use_case", list(USE_CASES))
def test_only_the_typed_error_escapes(use_case, earwise, measurements):
    fn, strategy = USE_CASES[use_case]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        try:
            req = data.draw(strategy())
            fn(earwise, req)
        except EarwiseError as exc:
            assert str(exc) and "\n" not in str(exc).strip()

    run()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=2000), name=texts)
def test_uploaded_measurements_only_raise_the_typed_error(earwise, measurements, text, name):
    with contextlib.suppress(EarwiseError):
        service.analyze(earwise, Q.AnalyzeRequest(upload=Q.MeasurementUpload(text, name)))
