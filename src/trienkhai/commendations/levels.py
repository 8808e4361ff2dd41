"""Which level of the State or the Party a giving unit stands at, so that a kind of
commendation is given only by the level it belongs to (decision 0057): a Bằng khen of
the Provincial Standing Committee is not given by a district committee, a district
chairman's Giấy khen not by a province (Luật Thi đua, khen thưởng 06/2022/QH15, Chương
IV: each level decides its own forms; Điều 80 for heads of agencies, districts and
communes).

A unit's rank: 0 the country (and what sits directly under it as a party committee:
the Central Committee), 1 a province (and a ministry or central board), 2 a district,
3 a commune, ward, township or special zone. A unit of another kind takes its rank from
where it sits:

- a party committee under an administrative unit stands at that unit's rank (Tỉnh ủy
  under the province); under another committee one rank lower (Huyện ủy under Tỉnh ủy,
  a commune's Đảng ủy under Huyện ủy); after 01/07/2025 there is no district level, so
  a committee under a provincial one is a commune's;
- a board, steering committee or agency stands at its parent's rank, at least 1 (a
  central Party board is a ministry-level body);
- a Party cell or a kind an admin added stands at its parent's rank.

A kind that records its giver's profile (``Kind.giver_profile``) is given only by a unit
of that profile (the unit's override, else its kind's: a Party committee, board or cell
is the Party's, an administrative unit the State's): a Huyện ủy does not give the
district chairman's Giấy khen, nor an Ủy ban nhân dân the Standing Committee's Bằng khen.
"""

import datetime as dt

from trienkhai.commendations.models import Kind
from trienkhai.orgs.models import Unit

DISTRICTS_END = dt.date(2025, 7, 1)
ADMINISTRATIVE = {
    "country": 0,
    "province": 1,
    "district": 2,
    "commune": 3,
    "ward": 3,
    "town": 3,
    "special_zone": 3,
}
ORGANS = {"board", "steering_committee", "agency"}
RANK_OF_LEVEL = {
    Kind.Level.STATE: 0,
    Kind.Level.PROVINCE: 1,
    Kind.Level.DISTRICT: 2,
    Kind.Level.COMMUNE: 3,
}
"""The rank a giver must stand at for a kind of that level; an agency's kind has none
(any head of an agency or unit gives it)."""
LEVEL_WORDS = {
    0: ("Chủ tịch nước, Thủ tướng Chính phủ hoặc Trung ương", "the State or the Centre"),
    1: ("cấp tỉnh (hoặc bộ, ban, ngành)", "a province (or a ministry, board or sector)"),
    2: ("cấp huyện", "a district"),
    3: ("cấp xã", "a commune"),
}
PROFILE_WORDS = {
    "party": ("một cấp ủy, tổ chức Đảng", "a Party committee or body"),
    "state": ("cơ quan Nhà nước", "a State body"),
}
MAX_UP = 12


def rank(unit: Unit, day: dt.date) -> int | None:
    """``unit``'s rank on ``day`` (see the module's docstring); None when its chain of
    parents reaches no administrative unit (a tree built without one)."""
    chain: list[str] = []  # kinds from the unit up to the first administrative one
    current: Unit | None = unit
    while current is not None and len(chain) < MAX_UP:
        version = current.version_on(day) or current.latest_version()
        code = version.kind.code
        if code in ADMINISTRATIVE:
            found = ADMINISTRATIVE[code]
            break
        chain.append(code)
        current = version.parent
    else:
        return None
    above = "administrative"
    for code in reversed(chain):  # back down from the administrative unit to ``unit``
        if code == "party_committee" and above != "administrative":
            found += 1  # Huyện ủy under Tỉnh ủy, a commune's Đảng ủy under Huyện ủy
            if found == 2 and day >= DISTRICTS_END:
                found = 3
        elif code in ORGANS:
            found = max(found, 1)
        above = code
    return min(found, 3)


def profile(unit: Unit, day: dt.date) -> str:
    """Party or State: the unit's override, else its kind's on ``day`` (or lately)."""
    if unit.profile_override:
        return unit.profile_override
    return (unit.version_on(day) or unit.latest_version()).kind.profile


def refusal(kind: Kind, giver: Unit, day: dt.date) -> str | None:
    """Why ``giver`` may not give ``kind`` on ``day`` (a sentence, Vietnamese / English),
    or None: the kind records a giver's profile and the giver has the other one, or the
    kind's level has a rank and the giver stands at another one."""
    wanted = RANK_OF_LEVEL.get(Kind.Level(kind.level))
    found = None if wanted is None else rank(giver, day)
    if wanted is not None and found is not None and found != wanted:
        vi, en = LEVEL_WORDS[wanted]
        return (
            f"{kind.name} do {vi} quyết định tặng; {giver.code} không ở cấp đó / "
            f"{kind.name_en} is given by {en}; {giver.code} is not at that level"
        )
    if kind.giver_profile and profile(giver, day) != kind.giver_profile:
        vi, en = PROFILE_WORDS[kind.giver_profile]
        return (
            f"{kind.name} do {vi} quyết định tặng; {giver.code} không phải / "
            f"{kind.name_en} is given by {en}; {giver.code} is not one"
        )
    return None
