"""The engine: hard constraints always hold, ordering is deterministic, failures explain themselves."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earwise.advice.engine import LEAK_LIMIT_NO_LEAK, NoMatchError, recommend
from earwise.advice.matrix import build_matrix
from earwise.advice.profile import build_profile
from earwise.catalog.platforms import platform_support
from earwise.catalog.schema import PLATFORMS


def check_constraints(view, profile, result):
    for r in result.recommendations:
        h = view.headphones[r.id]
        assert not h.discontinued
        if profile.budget_usd is not None:
            assert r.total_price_usd <= profile.budget_usd + 1e-9
        if profile.forms:
            assert h.form_factor in profile.forms
        if profile.back:
            assert h.back == profile.back
        if profile.wireless is not None:
            assert h.wireless == profile.wireless
        if profile.anc:
            assert h.anc is True
        if profile.mic:
            assert h.mic is not None and h.mic.type != "none"
        support = platform_support(h)
        for p in profile.platforms:
            assert isinstance(support[p], str), (h.id, p)
        if profile.no_leak:
            assert build_matrix([h], {}).leak[0] <= LEAK_LIMIT_NO_LEAK


profiles = st.fixed_dictionaries(
    {},
    optional={
        "genres": st.dictionaries(
            st.sampled_from(["rock", "classical", "electronic", "jazz", "hip-hop", "metal"]),
            st.integers(1, 100),
            min_size=1,
        ),
        "uses": st.lists(
            st.sampled_from(
                ["home", "commute", "plane", "library", "gaming", "shared-office", "gym"]
            ),
            max_size=2,
        ),
        "platforms": st.lists(st.sampled_from(list(PLATFORMS)), max_size=2),
        "budget_usd": st.sampled_from([50, 100, 200, 350, 1000, 3000]),
        "back": st.sampled_from(["open", "closed"]),
        "wireless": st.booleans(),
        "anc": st.booleans(),
        "mic": st.booleans(),
        "no_leak": st.booleans(),
        "budget_includes_amp": st.booleans(),
        "forms": st.lists(
            st.sampled_from(["over-ear", "on-ear", "in-ear", "earbud"]), max_size=2, unique=True
        ),
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=profiles)
def test_hard_constraints_always_hold(view, fields):
    profile = build_profile(**fields)
    try:
        result = recommend(view, profile, top=8)
    except NoMatchError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    check_constraints(view, profile, result)
    scores = [r.score for r in result.recommendations]
    assert scores == sorted(scores, reverse=True)


def test_deterministic(view):
    p = build_profile(genres={"rock": 1}, budget_usd=300)
    a = [r.id for r in recommend(view, p, 10).recommendations]
    b = [r.id for r in recommend(view, p, 10).recommendations]
    assert a == b


def test_empty_result_names_the_constraint(view):
    p = build_profile(forms=["earbud"], back="open", anc=True, platforms=["xbox"])
    with pytest.raises(NoMatchError, match="no headphone satisfies"):
        recommend(view, p)


def test_budget_too_low_names_the_cheapest(view):
    p = build_profile(budget_usd=1, genres={"rock": 1})
    with pytest.raises(NoMatchError, match=r"cheapest option .* at \$"):
        recommend(view, p)


def test_budget_includes_amp_adds_an_amp_for_hard_loads(view):
    p = build_profile(
        genres={"classical": 1},
        back="open",
        budget_usd=900,
        budget_includes_amp=True,
        source="Apple USB-C to 3.5 mm adapter",
    )
    result = recommend(view, p, top=20)
    with_amp = [r for r in result.recommendations if r.amp_id]
    for r in with_amp:
        h = view.headphones[r.id]
        assert r.total_price_usd == pytest.approx(h.price_usd + view.devices[r.amp_id].price_usd)
        assert any("Needs an amp" in x or "DAC/amp your budget includes" in x for x in r.reasons)


def test_a_budget_that_includes_a_dac_amp_buys_one_even_for_an_easy_load(view):
    """'$350 for headphones plus a DAC/amp': every wired pick comes with the DAC/amp asked for,
    its price counted, even when the source alone would drive the headphone."""
    p = build_profile(
        genres={"rock": 1}, budget_usd=350, budget_includes_amp=True, uses=["shared-office"]
    )
    result = recommend(view, p, top=5)
    assert result.recommendations
    for r in result.recommendations:
        assert r.amp_id and r.total_price_usd <= 350
        assert view.devices[r.amp_id].category in (
            "portable-dac-amp",
            "desktop-dac-amp",
            "phone-dongle",
        ) or any("Needs an amp" in x for x in r.reasons)


def test_no_amp_filter_uses_physics(view):
    p = build_profile(no_amp=True, source_vrms=0.5, source_zout_ohm=1, genres={"classical": 1})
    result = recommend(view, p, top=30)
    for r in result.recommendations:
        assert not any("Underpowered" in w for w in r.warnings)


def test_owned_headphones_shift_the_music_and_are_not_recommended(view):
    from earwise.advice import criteria as C
    from earwise.advice.engine import make_context

    bassy = next(
        pid for pid, d in sorted(view.measured.items())
        if next(x for x in d["all"] if x["measurement"] == d["primary"])["bands_db"]["bass_db"] > 6
    )  # fmt: skip
    p = build_profile(genres={"hip-hop": 50, "classical": 50}, owned=[bassy])
    ctx = make_context(view, p)
    shares = {g.name: s for g, s in C.effective_shares(ctx).items()}
    assert shares["classical"] > 0.5 > shares["hip-hop"]
    result = recommend(view, p, top=10)
    assert bassy not in [r.id for r in result.recommendations]
    assert any("Complements what you own" in x for r in result.recommendations for x in r.reasons)


def test_used_market_is_shown_apart_only_when_asked(view):
    from earwise.advice.engine import recommend
    from earwise.advice.profile import build_profile

    plain = recommend(view, build_profile(genres={"rock": 1}, budget_usd=200, forms=["over-ear"]))
    assert plain.used_market == []
    used = recommend(
        view, build_profile(genres={"rock": 1}, budget_usd=200, forms=["over-ear"], used=True)
    )
    assert used.used_market and len(used.used_market) <= 3
    for u in used.used_market:
        h = view.headphones[u["id"]]
        assert h.status == "discontinued" and h.form_factor == "over-ear"
        assert u["last_price_usd"] <= 200
    assert all(view.headphones[r.id].status == "current" for r in used.recommendations)


def test_my_phone_as_the_source_uses_the_assumed_phone_figures(view):
    """'my phone' maps to the adapter record; without its figures the phone's assumed 1 Vrms
    is used (it used to say 'cannot check the drive' for every pick)."""
    from earwise.advice.engine import ASSUMED_SOURCE_ID, make_context

    ctx = make_context(view, build_profile(source=ASSUMED_SOURCE_ID))
    assert (
        ctx.source.v_open_vrms > 0 and "your phone" in ctx.source_label and not ctx.source_assumed
    )


def test_calls_cannot_do_without_a_microphone(view):
    """A calls use makes a microphone a hard need: every pick has one on record."""
    from earwise.advice.engine import recommend

    recs = recommend(view, build_profile(uses=["calls"], budget_usd=150), top=5).recommendations
    assert recs and all(
        view.headphones[r.id].mic and view.headphones[r.id].mic.type != "none" for r in recs
    )


def test_a_weak_best_pick_is_said_plainly(view):
    from earwise.advice.engine import WEAK_BEST_SCORE, recommend

    res = recommend(
        view, build_profile(uses=["gym"], forms=["over-ear", "on-ear"], budget_usd=100), top=5
    )
    if res.recommendations and res.recommendations[0].score < WEAK_BEST_SCORE:
        assert any("nothing on sale with a known price fits this well" in n for n in res.notes)


def test_the_assumed_source_is_noted_only_when_a_pick_is_driven_by_it(view):
    """Wireless picks play from their own amplifier: a phone assumed as the source says nothing
    about them, so the note appears only when a pick has a wired input the source drives."""
    wireless = recommend(view, build_profile(wireless=True, platforms=["xbox", "ps5"]), 5)
    assert not any(n.startswith("source: ") for n in wireless.notes)
    wired = recommend(view, build_profile(wireless=False, genres={"classical": 1}), 5)
    assert any(n.startswith("source: ") for n in wired.notes)


def test_a_child_with_no_budget_is_ranked_among_the_cheapest_that_fit(view):
    """Kids (``thrift`` in uses.yaml): with no budget, only the cheapest quarter of what fits is
    ranked, the cap computed from the candidates and said; a budget rules instead."""
    res = recommend(view, build_profile(uses=["kids"]), 5)
    note = next(n for n in res.notes if "cheapest 25% of what fits" in n)
    cap = float(note.split("up to $")[1].split(";")[0].replace(",", ""))
    assert res.recommendations and all(r.total_price_usd <= cap for r in res.recommendations)
    with_budget = recommend(view, build_profile(uses=["kids"], budget_usd=300), 5)
    assert not any("cheapest 25%" in n for n in with_budget.notes)


@pytest.mark.parametrize("fields", [{"budget_usd": 100}, {"budget_usd": 250, "uses": ["gym"]}])
def test_a_criterion_that_does_not_apply_never_decides_or_trades(view, fields):
    """A wired headphone has no battery and a wireless one is not driven by your source: neither
    decides a pick ('decided by: battery life' for a wired IEM) nor a trade-off between a wired
    and a wireless pick ('better on battery')."""
    recs = recommend(view, build_profile(**fields), top=5).recommendations
    for r, nxt in zip(recs, recs[1:] + [None], strict=True):
        wireless = view.headphones[r.id].wireless
        if wireless is False:
            assert "battery" not in " ".join(r.decisive)
        if wireless:
            assert "drives it" not in " ".join(r.decisive)
        if nxt is not None and r.trade_off and wireless != view.headphones[nxt.id].wireless:
            assert "battery" not in r.trade_off and "ease of driving" not in r.trade_off


def test_products_of_unknown_status_are_counted_and_named_when_few(view):
    """The Puro BT2200 ($79.99, 85 dB limit) has no checked status: never ranked as current, never
    left out silently."""
    from earwise.advice.engine import make_context
    from earwise.advice.filters import status_unknown_note

    profile = build_profile(brands=["Puro Sound Labs"], volume_limited=True, budget_usd=100)
    notes = status_unknown_note(view, make_context(view, profile))
    assert notes and notes[0].startswith("1 headphone meeting your needs left out because")
    assert "Puro" in notes[0] and "still sold" in notes[0]
    assert status_unknown_note(view, make_context(view, build_profile(budget_usd=1))) == []


def test_an_unknown_weight_is_no_pass_for_a_weight_limit_and_is_counted(view):
    with pytest.raises(
        NoMatchError, match=r"at most 1 g.*for \d+ of those the catalog does not know it"
    ):
        recommend(view, build_profile(max_weight_g=1))


def test_an_iem_liked_for_games_is_not_a_gaming_headset(view):
    """Tagged 'gaming' by a review (Xataka: shooter fans like it), the 7Hz Salnotes Zero is an IEM
    with no microphone on record: not marked down as 'a gaming headset with a mic you will not use'."""
    m = build_matrix([view.headphones["7hz-salnotes-zero"]], view.measured)
    assert not m.gaming[0]
    recs = recommend(
        view, build_profile(forms=["in-ear"], wireless=False, budget_usd=50)
    ).recommendations
    zero = next(r for r in recs if r.id == "7hz-salnotes-zero")
    assert not any("gaming headset" in w for w in zero.warnings)


def test_a_price_range_said_is_the_range_ranked(view):
    """'--min-price 100 --budget 300': a $110 pick is inside the range asked for, so it is ranked,
    not shown apart as a cheaper option (the band's own floor would be 40% of $300, $120)."""
    from earwise.advice.tradeoffs import band_floor

    assert band_floor(build_profile(budget_usd=300, budget_min_usd=100)) == 100
    assert band_floor(build_profile(budget_usd=300)) == pytest.approx(120)


def test_a_kit_for_two_places_serves_each_with_its_best_member(view):
    """Rule #3 by place: commute and home, $500: a set whose members name the places they serve,
    and a set that beats the best single headphone for the same budget."""
    from earwise.advice.kit import build_kit

    kit = build_kit(view, build_profile(uses=["commute", "home"], budget_usd=500))
    places = [p for i in kit.best.items for p in i.places]
    assert sorted(places) == sorted(["on the commute", "at home"])
    assert kit.best.score >= kit.single.score


def test_on_the_go_a_headset_that_no_phone_can_play_from_counts_less(view):
    """The Turtle Beach Stealth 600 Gen 2 MAX (for Xbox) works with neither iPhone nor Android on
    record: at the gym the phone is the source, so it keeps use.no_phone_link_fit; naming a
    platform settles it instead."""
    from earwise.advice.engine import make_context
    from earwise.advice.matrix import matrix_for
    from earwise.advice.use_fit import NO_PHONE_LINK_FIT, phone_fit

    m = matrix_for(view, ["turtle-beach-stealth-600-gen-2-max", "sony-wh-1000xm4"])
    gym = phone_fit(make_context(view, build_profile(uses=["gym"])), m)
    assert gym.tolist() == [pytest.approx(NO_PHONE_LINK_FIT), 1.0]
    named = phone_fit(make_context(view, build_profile(uses=["gym"], platforms=["xbox"])), m)
    assert named.tolist() == [1.0, 1.0]


def test_a_recommendations_price_says_what_it_is_and_when(view):
    from earwise.service.views import recommend_json

    data, _ = recommend_json(
        view, build_profile(budget_usd=1000, budget_min_usd=500, genres={"classical": 1})
    )
    k702 = [r for r in data["recommendations"] if r["id"] == "akg-k702"]
    assert not k702 or k702[0]["price_basis"] == "launch price"
    assert all(r["price_basis"] for r in data["recommendations"])


def test_glasses_asked_for_and_no_pick_with_the_fact_is_said(view):
    result = recommend(view, build_profile(glasses=True, budget_usd=200, forms=["over-ear"]))
    comforts = [view.headphones[r.id].comfort for r in result.recommendations]
    known = [c for c in comforts if c is not None and c.glasses_friendly is not None]
    assert known or any(n.startswith("glasses: none of these picks") for n in result.notes)


def test_in_bed_a_cord_counts_against_a_wired_pick(view):
    """Sleep: a cord wraps round the neck and tugs the buds out (uses.yaml cable_free 0.5)."""
    from earwise.advice.engine import make_context
    from earwise.advice.matrix import matrix_for
    from earwise.advice.use_fit import cable_fit

    m = matrix_for(view, ["moondrop-chu", "sony-linkbuds-s"])
    fit = cable_fit(make_context(view, build_profile(uses=["sleep"])), m)
    assert fit[0] < 1.0 and fit[1] == 1.0


def test_two_measurements_on_one_rig_are_one_mean_said_as_such():
    from earwise.advice.evidence import rig_phrase, rig_scores

    d = {"all": [
        {"measurement": "oratory1990/over-ear/X", "preference_score": 70.0, "rig_percentile": 0.6},
        {"measurement": "oratory1990/over-ear/X (pads)", "preference_score": 80.0, "rig_percentile": 0.8},
        {"measurement": "Rtings/over-ear/X", "preference_score": 60.0, "rig_percentile": 0.5},
    ]}  # fmt: skip
    rs = rig_scores(d)
    assert [(r.source, r.score, r.count) for r in rs] == [
        ("oratory1990", 75.0, 2),
        ("Rtings", 60.0, 1),
    ]
    assert "the mean of its 2 measurements there" in rig_phrase(rs[0])


def test_unpriced_products_that_would_rank_among_the_picks_are_named(view):
    """A product left out only for want of a price is never dropped silently: those that would
    rank among the picks on everything else are named, with their score, to be priced."""
    res = recommend(view, build_profile(forms=["in-ear"], wireless=True, anc=True), top=5)
    note = next(n for n in res.notes if n.startswith("with no price on record"))
    by_label = {view.label(pid): pid for pid in view.headphones}
    named = [
        by_label[x.rsplit(" (", 1)[0]] for x in note.split(": ", 1)[1].split("; ")[0].split(", ")
    ]
    assert named and all(view.headphones[p].price is None for p in named)
    assert all(view.headphones[p].on_sale and view.headphones[p].anc for p in named)
    bar = min(r.score for r in res.recommendations)
    scores = [
        float(x.rsplit("(", 1)[1].rstrip(")"))
        for x in note.split(": ", 1)[1].split("; ")[0].split(", ")
    ]
    assert all(s >= bar - 0.5 for s in scores)


def test_the_best_for_xbox_and_ps5_are_gaming_headsets(view):
    """SoundGuys' 'best for Xbox and PS5' is a gaming headset that works on both: a wired IEM with
    an inline mic plugged into the controllers works too, but is no pick for this list."""
    from earwise.advice.best import best_list

    picks = best_list(view, "xbox-ps5")["picks"]
    assert picks and all("gaming" in view.headphones[p["id"]].categories for p in picks)


def test_unpriced_products_are_not_named_against_a_budget(view):
    """With a budget none of the unpriced can be held to it: no $1,000 headphone named for a
    child's $50 (the count note stays)."""
    res = recommend(view, build_profile(uses=["kids"], budget_usd=50), top=5)
    assert not any(n.startswith("with no price on record") for n in res.notes)
    assert any("no price for them" in n for n in res.notes)
