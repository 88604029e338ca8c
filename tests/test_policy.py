"""The source-quality policy (docs/source-policy.md): ranks, the weak-site list, weak-only facts."""

from __future__ import annotations

import pytest

from conftest import make_headphone
from earwise.catalog import policy as P
from earwise.catalog.loader import load_catalog
from earwise.catalog.schema import Headphone, Source, SourceDevice
from earwise.core.errors import EarwiseError

SITES = P.parse_weak_sites(
    {
        "sites": [
            {"domain": "farm.example", "kind": "content-farm", "reason": "spam"},
            {"domain": "github.com/dump-org", "kind": "compilation", "reason": "spec dump"},
            {"title": r"\bgptpedia\b", "kind": "machine-written", "reason": "generated"},
            {"domain": "mirror.example", "title": r"\bcopy\b", "kind": "compilation",
             "reason": "either matches"},
        ]
    }
)  # fmt: skip


def src(kind="review", title="A review", url=None, covers=("price",)) -> Source:
    return Source(kind=kind, title=title, url=url, covers=list(covers))


# --- host and domain matching -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.Example.com/a?b", "example.com"),
        ("http://example.com:8080/x", "example.com"),
        ("example.com/path", "example.com"),
        ("https://38.142.81.21:8001/x", "38.142.81.21"),
        ("https://sub.example.com.", "sub.example.com"),
    ],
)
def test_host_of(url, host):
    assert P.host_of(url) == host


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://farm.example/review", "content-farm"),
        ("https://www.farm.example/review", "content-farm"),
        ("https://news.farm.example/x", "content-farm"),  # subdomains count
        ("https://notfarm.example/x", None),  # a longer name is another site
        ("https://farm.example.org/x", None),
        ("https://github.com/dump-org/repo/blob/x", "compilation"),
        ("https://github.com/dump-org", "compilation"),
        ("https://github.com/dump-organisation/x", None),  # path prefix is a whole segment
        ("https://github.com/other/dump-org", None),
        ("https://mirror.example/x", "compilation"),
        (None, None),
    ],
)
def test_weak_kind_by_domain(url, kind):
    assert P.weak_kind(src(url=url), SITES) == kind


def test_weak_kind_by_title_pattern_is_case_insensitive_and_needs_no_url():
    assert P.weak_kind(src(title="GPTpedia: the AirPods"), SITES) == "machine-written"
    assert P.weak_kind(src(title="a copy of a review"), SITES) == "compilation"
    assert P.weak_kind(src(title="gptpediaX"), SITES) is None  # word boundary


def test_not_a_source_wins_over_compilation_when_both_match():
    s = src(url="https://github.com/dump-org/x", title="GPTpedia dump")
    assert P.weak_kind(s, SITES) == "machine-written"


# --- rank ---------------------------------------------------------------------------------


def test_rank_orders_the_kinds_as_the_policy_says():
    r = {k: P.rank(src(kind=k), SITES) for k in ("manufacturer", "measurement", "review",
                                                   "press", "retailer", "seed", "database")}  # fmt: skip
    assert r["manufacturer"] > r["measurement"] > r["review"] > r["retailer"] > r["database"]
    assert r["press"] == r["review"] and r["seed"] == r["retailer"]
    assert r["database"] == P.COMPILATION > P.WEAK


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Audio Science Review: HD 600 review", None),
        ("A review", "https://www.rtings.com/headphones/reviews/x"),
        ("oratory1990 measurements", None),
        ("Headphone Test Lab: K371", None),
        ("A review", "https://headphonetestlab.co.uk/x"),
    ],
)
def test_a_review_from_an_independent_measurement_outlet_ranks_as_a_measurement(title, url):
    assert P.rank(src(kind="review", title=title, url=url), SITES) == P.MEASUREMENT


def test_weak_sites_rank_by_their_weak_kind_not_their_declared_kind():
    assert P.rank(src(kind="manufacturer", url="https://farm.example/x"), SITES) == P.WEAK
    assert P.rank(src(kind="manufacturer", title="GPTpedia"), SITES) == P.WEAK
    assert P.rank(src(kind="review", url="https://github.com/dump-org/x"), SITES) == P.COMPILATION


# --- weak-only facts ----------------------------------------------------------------------


def test_a_group_with_only_weak_sources_is_reported():
    h = make_headphone(
        price={"usd": 100, "kind": "msrp"},
        weight_g=250,
        sources=[src(url="https://farm.example/x", covers=["price", "specs"])],
    )
    assert P.weak_only_facts(h, SITES) == ["price", "specs"]


def test_a_compilation_alone_is_weak_but_beside_a_strong_source_is_fine():
    h = make_headphone(
        price={"usd": 100, "kind": "msrp"},
        weight_g=250,
        sources=[
            src(kind="database", title="spec db", covers=["price", "specs"]),
            src(kind="manufacturer", title="Maker page", covers=["specs"]),
        ],
    )
    assert P.weak_only_facts(h, SITES) == ["price"]


def test_a_content_farm_plus_a_compilation_is_still_weak():
    h = make_headphone(
        weight_g=250,
        sources=[
            src(url="https://farm.example/x", covers=["specs"]),
            src(url="https://github.com/dump-org/y", covers=["specs"]),
        ],
    )
    assert P.weak_only_facts(h, SITES) == ["specs"]


def test_a_covered_group_without_data_is_not_a_fact():
    h = make_headphone(sources=[src(url="https://farm.example/x", covers=["sound", "comfort"])])
    assert P.weak_only_facts(h, SITES) == []


def test_strong_sources_leave_nothing_to_report():
    h = make_headphone(
        price={"usd": 100, "kind": "msrp"},
        sources=[src(kind="review", title="Stereophile review", covers=["price"])],
    )
    assert P.weak_only_facts(h, SITES) == []


def test_devices_are_checked_too():
    d = SourceDevice(
        id="t-amp", brand="T", model="Amp", category="desktop-amp", price={"usd": 99, "kind": "msrp"},
        outputs=[{"name": "6.35 mm", "ratings": [{"vrms": 5.0}]}],
        sources=[{"kind": "database", "title": "spec db", "covers": ["price", "specs"]}],
    )  # fmt: skip
    assert P.weak_only_facts(d, SITES) == ["price", "specs"]
    assert P.violations([d], SITES) == {"t-amp": ["price", "specs"]}


# --- the weak-site file -------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"sites": "x"},
        {"sites": [{"domain": "a.com", "kind": "spam", "reason": "r"}]},
        {"sites": [{"kind": "compilation", "reason": "r"}]},
        {"sites": [{"domain": "a.com", "kind": "compilation"}]},
        {"sites": [{"domain": "a.com", "kind": "compilation", "reason": "r", "extra": 1}]},
        {"sites": [{"title": "(", "kind": "compilation", "reason": "r"}]},
    ],
)
def test_a_malformed_weak_site_list_is_refused(bad):
    with pytest.raises(EarwiseError):
        P.parse_weak_sites(bad)


def test_the_shipped_list_holds_the_sites_the_issue_names():
    sites = P.weak_sites()
    for url, kind in (
        ("https://www.findarticles.com/x", "content-farm"),
        ("https://bangladeshfinancetribune.com/x", "content-farm"),
        ("https://eatsip365.com/x", "content-farm"),
        ("https://newgearhub.com/x", "content-farm"),
        ("https://audioreview.frieve.com/x", "compilation"),
        ("https://github.com/Frieve-A/audioreview/blob/x", "compilation"),
        ("https://grokipedia.com/page/EarPods", "machine-written"),
    ):
        assert P.weak_kind(src(url=url), sites) == kind, url
    assert all(s.reason for s in sites)


# --- the whole catalog --------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> list:
    c = load_catalog()
    return c.headphones + c.sources


@pytest.fixture(scope="module")
def catalog_violations(catalog) -> dict[str, list[str]]:
    return P.violations(catalog)


def test_the_policy_runs_over_the_whole_catalog(catalog_violations):
    assert all(groups and isinstance(groups, list) for groups in catalog_violations.values())


def test_no_shown_fact_rests_only_on_weak_sources(catalog):
    """Every fact group whose sources are all weak is withheld by the loader (shown as unknown):
    what is left of such a group is the product's shape (plugs, that it has Bluetooth), never a
    figure or a yes/no claim."""
    left = {}
    for p in catalog:
        shown = set(P.weak_only_facts(p)) - set(p.withheld) - {"measured"}
        if shown:
            left[p.id] = sorted(shown)
    assert not left, left


def test_withheld_groups_hold_no_claims(catalog):
    for p in catalog:
        # the price group withheld, or only the price field (a strong page names the year)
        if "price" in p.withheld:
            assert p.price is None, p.id
            assert p.year is None or any(
                "year" in s.facts and P.strong(s, P.weak_sites()) for s in p.sources
            ), p.id
        if isinstance(p, Headphone):
            if "specs" in p.withheld:
                assert p.impedance_ohm is None and p.sensitivity is None and p.weight_g is None
            if "connectivity" in p.withheld:
                assert p.anc is None and p.battery is None and not p.platforms, p.id
            if "mic" in p.withheld:
                assert p.mic is None, p.id


def test_withholding_empties_a_content_farm_only_group():
    h = Headphone.model_validate(
        {
            "id": "x-buds", "brand": "X", "model": "Buds", "form_factor": "in-ear",
            "back": "closed", "true_wireless": True, "anc": True, "mic": {"type": "built-in"},
            "battery": {"claimed_h": 6},
            "connections": {"bluetooth": {"version": "5.3", "codecs": ["AAC"]}},
            "sources": [
                {"kind": "review", "title": "Farm", "url": "https://findarticles.com/x",
                 "covers": ["connectivity", "mic"]},
            ],
        }
    )  # fmt: skip
    w = P.withhold_weak(h, P.weak_sites())
    assert w.withheld == ["connectivity", "mic"]
    assert w.anc is None and w.mic is None and w.battery is None
    assert w.wireless is True and w.connections.bluetooth.codecs == []  # its shape stays
    assert h.anc is True  # a new value, the original untouched


def test_a_source_that_names_its_facts_backs_only_those():
    """A review that states the ANC (``facts: [anc]``) does not vouch for the battery figure a
    content farm gave in the same group: the battery is withheld, the ANC shown."""
    from conftest import make_headphone

    h = make_headphone(
        id="x-anc",
        anc=True,
        battery={"claimed_h": 30},
        sources=[
            {"kind": "review", "title": "A review: ANC on", "url": "https://www.stereophile.com/x",
             "covers": ["connectivity"], "facts": ["anc"]},
            {"kind": "review", "title": "A farm: 30 h", "url": "https://findarticles.com/x",
             "covers": ["connectivity"]},
        ],
    )  # fmt: skip
    shown = P.withhold_weak(h)
    assert shown.anc is True and shown.battery is None
    assert shown.withheld == ["battery"]


def test_a_source_cannot_name_facts_outside_its_groups():
    from earwise.catalog.schema import Source

    with pytest.raises(ValueError, match="not fields of"):
        Source(kind="review", title="A review", covers=["mic"], facts=["anc"])
