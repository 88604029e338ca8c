"""Query strings into the service's typed requests.

Every value arrives as text (``str | None``) and is converted by the request dataclasses, which
refuse non-finite and out-of-range numbers naming the field: FastAPI's own ``float`` parameters
would accept ``inf`` and ``nan``. Empty form fields mean "not given".
"""

from __future__ import annotations

from fastapi import Query, Request

from earwise.core.errors import EarwiseError
from earwise.service.app import Earwise
from earwise.service.requests import (
    DriveRequest,
    NeedRequest,
    ProfileRequest,
    SearchRequest,
)

TRUE = ("1", "on", "true", "yes")
FALSE = ("0", "off", "false", "no")
SEARCH_LIMIT = 1000


def app_of(request: Request) -> Earwise:
    """The application object ``create_app`` built (never a cached view: see ``Earwise.view``)."""
    return request.app.state.earwise


def opt(value: str | None) -> str | None:
    """``None`` for a missing or blank value, else the value as given."""
    return None if value is None or not value.strip() else value


def flag(value: str | None, field: str) -> bool:
    """A checkbox: absent/blank is False; 1/on/true/yes and 0/off/false/no."""
    v = opt(value)
    if v is None:
        return False
    s = v.strip().lower()
    if s in TRUE:
        return True
    if s in FALSE:
        return False
    raise EarwiseError(f"{field} must be one of: {', '.join(TRUE + FALSE)}", field)


def tri(value: str | None, field: str) -> bool | None:
    """A yes/no/any filter: absent/blank is None (either)."""
    return None if opt(value) is None else flag(value, field)


def connection(value: str | None) -> bool | None:
    v = opt(value)
    if v is None:
        return None
    choices = {"wireless": True, "wired": False}
    if v.strip().lower() not in choices:
        raise EarwiseError(f"wireless must be one of: {', '.join(choices)}", "wireless")
    return choices[v.strip().lower()]


def names(values: list[str]) -> list[str]:
    return [v for v in values if v and v.strip()]


def genre_items(
    genre: list[str], genres: str | None, rows: list[str], shares: list[str]
) -> list[str]:
    """Repeated ``genre=NAME[:SHARE]``, a typed ``genres=a:60,b:40`` and the form's name/share rows."""
    typed = [x.strip() for x in (genres or "").split(",") if x.strip()]
    shares = list(shares) + [""] * max(0, len(rows) - len(shares))
    paired = [
        f"{n}:{s}" if s and s.strip() else n
        for n, s in zip(rows, shares, strict=False)
        if n and n.strip()
    ]
    return names(genre) + typed + paired


def profile_query(
    genre: list[str] = Query(default=[]),
    genres: str | None = None,
    genre_name: list[str] = Query(default=[], alias="genre-name"),
    genre_share: list[str] = Query(default=[], alias="genre-share"),
    use: list[str] = Query(default=[]),
    platform: list[str] = Query(default=[]),
    owned: list[str] = Query(default=[]),
    brand: list[str] = Query(default=[]),
    budget: str | None = None,
    min_price: str | None = None,
    budget_includes_amp: str | None = None,
    source: str | None = None,
    source_vrms: str | None = None,
    source_zout: str | None = None,
    form: str | None = None,
    back: str | None = None,
    driver: str | None = None,
    wireless: str | None = None,
    anc: str | None = None,
    mic: str | None = None,
    no_amp: str | None = None,
    no_leak: str | None = None,
    used: str | None = None,
    max_weight: str | None = None,
    glasses: str | None = None,
    head: str | None = None,
    long_sessions: str | None = None,
    long_battery: str | None = None,
    bass: str | None = None,
    treble_sensitive: str | None = None,
    tonality: str | None = None,
    soundstage: str | None = None,
    level: str | None = None,
) -> ProfileRequest:
    """A listener profile from the advisor's query string (the API takes the same names)."""
    return ProfileRequest(
        genre=genre_items(genre, genres, genre_name, genre_share), use=names(use),
        platform=names(platform), owned=names(owned), brand=names(brand), budget=opt(budget),
        min_price=opt(min_price), budget_includes_amp=flag(budget_includes_amp, "budget_includes_amp"),
        source=opt(source), source_vrms=opt(source_vrms), source_zout=opt(source_zout),
        form=opt(form), back=opt(back), driver=opt(driver), wireless=connection(wireless), anc=flag(anc, "anc"),
        mic=flag(mic, "mic"), no_amp=flag(no_amp, "no_amp"), no_leak=flag(no_leak, "no_leak"), used=flag(used, "used"),
        max_weight=opt(max_weight), glasses=flag(glasses, "glasses"), head=opt(head),
        long_sessions=flag(long_sessions, "long_sessions"), bass=opt(bass),
        long_battery=flag(long_battery, "long_battery"),
        treble_sensitive=flag(treble_sensitive, "treble_sensitive"), tonality=opt(tonality),
        soundstage=flag(soundstage, "soundstage"), level=opt(level),
    )  # fmt: skip


def search_query(
    form: str | None = None,
    back: str | None = None,
    wireless: str | None = None,
    anc: str | None = None,
    mic: str | None = None,
    platform: str | None = None,
    signature: str | None = None,
    brand: str | None = None,
    max_price: str | None = None,
    min_price: str | None = None,
    current: str | None = None,
    sort: str | None = None,
    desc: str | None = None,
) -> SearchRequest:
    """Catalog filters from the browse page's query string (and ``/api/products``)."""
    return SearchRequest(
        form=opt(form), back=opt(back), wireless=tri(wireless, "wireless"), anc=tri(anc, "anc"),
        mic=tri(mic, "mic"), platform=opt(platform), signature=opt(signature), brand=opt(brand),
        max_price=opt(max_price), min_price=opt(min_price), current=flag(current, "current"),
        sort=opt(sort) or "price", desc=flag(desc, "desc"), limit=SEARCH_LIMIT,
    )  # fmt: skip


def need_query(level: str | None = None, genre: list[str] = Query(default=[])) -> NeedRequest:
    return NeedRequest(level=opt(level), genre=names(genre))


def drive_request(
    headphone: str | None, source: str | None, vrms: str | None, zout: str | None,
    max_ma: str | None, balanced: str | None, need: NeedRequest,
) -> DriveRequest:  # fmt: skip
    """A drive question; a zout of 0 without vrms is the form's untouched default, not a source."""
    vrms, zout = opt(vrms), opt(zout)
    if vrms is None and zout is not None and zout.strip() in ("0", "0.0", "0.00"):
        zout = None
    return DriveRequest(
        headphone=headphone if headphone is not None else "", source=opt(source), vrms=vrms,
        zout=zout, max_ma=opt(max_ma), balanced=flag(balanced, "balanced"), need=need,
    )  # fmt: skip
