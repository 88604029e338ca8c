"""The listener profile: genre shares, vocabularies, validation messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earwise.advice.profile import ProfileError, build_profile, parse_genre_shares
from earwise.advice.vocab import genres, resolve_genre, resolve_platform, resolve_use

SEED_GENRES = [
    "rock",
    "metal",
    "punk",
    "classical",
    "chamber",
    "pipe-organ",
    "jazz",
    "blues",
    "electronic",
    "drum-and-bass",
    "hip-hop",
    "pop",
    "indie",
    "acoustic",
    "soundtrack",
]


def test_vocabulary_covers_the_seeds():
    assert len(genres()) >= 20
    assert set(SEED_GENRES) <= set(genres())


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Electronica", "electronic"),
        ("DnB", "drum-and-bass"),
        ("Hip Hop", "hip-hop"),
        ("pipe organ", "pipe-organ"),
        ("R&B", "r-and-b"),
        ("j-rock", "rock"),
    ],
)
def test_genre_aliases(text, expected):
    assert resolve_genre(text) == expected


def test_uses_and_platforms_aliases():
    assert resolve_use("open office") == "shared-office"
    assert resolve_platform("PlayStation 5") == "ps5"
    assert resolve_platform("Xbox Series X") == "xbox"


def test_shares_normalised():
    assert parse_genre_shares(["electronic:70", "rock:20", "hip-hop:5", "classical:5"]) == {
        "electronic": 0.7,
        "rock": 0.2,
        "hip-hop": 0.05,
        "classical": 0.05,
    }
    assert parse_genre_shares(["rock:2", "jazz:2"]) == {"rock": 0.5, "jazz": 0.5}


def test_bare_genres_share_the_rest():
    shares = parse_genre_shares(["rock:60", "jazz", "blues"])
    assert shares == pytest.approx({"rock": 0.6, "jazz": 0.2, "blues": 0.2})
    assert parse_genre_shares(["metal", "rock"]) == {"metal": 0.5, "rock": 0.5}


@pytest.mark.parametrize(
    "items,message",
    [
        (["polka"], "unknown genre 'polka'; valid genres: classical"),
        (["rock:lots"], "does not parse"),
        (["rock:-5"], ">= 0"),
        (["rock:0"], "add up to 0"),
    ],
)
def test_bad_shares(items, message):
    with pytest.raises(ProfileError, match=message):
        parse_genre_shares(items)


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"uses": ["moon"]}, "unknown use 'moon'; valid uses: home"),
        ({"platforms": ["amiga"]}, "unknown platform 'amiga'"),
        ({"budget_usd": -10}, "budget_usd"),
        ({"source_zout_ohm": 2}, "needs the source voltage"),
    ],
)
def test_profile_errors_are_one_line(fields, message):
    with pytest.raises(ProfileError, match=message) as info:
        build_profile(**fields)
    assert "\n" not in str(info.value)


@given(st.dictionaries(st.sampled_from(sorted(genres())), st.floats(0.1, 1000), min_size=1))
def test_profile_shares_always_sum_to_one(shares):
    p = build_profile(genres=shares)
    assert sum(p.genres.values()) == pytest.approx(1.0)
