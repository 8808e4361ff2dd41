"""The 2025 reorganisation of a district's Party bodies, as the demo replays it.

On 01/07/2025 the district level ended. For a district committee (Huyện ủy) this module:
creates the provincial committee that carries it, the provincial Ban Tuyên giáo và Dân
vận and Ban Chỉ đạo 35, and one party committee per new commune that took in the
district's communes (following the official commune lineage of the divisions); then
merges each commune committee into its new commune's, the agency cells into the
committee of the commune that took in the district seat (an illustration of where
their members went, not an official record), the boards into the provincial ones, and
splits the district committee between the provincial committee and the new communes.
Idempotent: nothing happens once the district committee has ended.
"""

import datetime as dt
from dataclasses import dataclass

from trienkhai.common.actors import DEMO
from trienkhai.orgs import services
from trienkhai.orgs.models import LineageLink, Unit

REFORM = dt.date(2025, 7, 1)


@dataclass
class District:
    """A district's Party bodies before the reform."""

    hu: Unit
    tu: Unit
    board: Unit
    steering: Unit
    communes: list[tuple[Unit, str]]
    """(commune party committee, pre-2025 official code of its commune)."""
    agencies: list[Unit]
    seat: str
    """Pre-2025 official code of the commune that hosted the district seat."""


@dataclass
class Province:
    """Codes and names of the provincial bodies after the reform."""

    division: str
    """The post-2025 province's unit code, e.g. HC25-91."""
    suffix: str
    """Appended to the new bodies' codes: TU-AG, BTGDVTU-AG, DU-AG-31069."""
    name: str
    """The province's name as it follows "Tỉnh ủy": "An Giang"."""


def successor_commune(old_official: str) -> Unit:
    """The post-2025 commune that took in (most of) the pre-2025 commune ``old_official``."""
    link = (
        LineageLink.objects.select_related("successor")
        .filter(predecessor__code=f"HC04-{old_official}", successor__code__startswith="HC25-")
        .order_by("is_partial", "successor__code")
        .first()
    )
    if link is None:
        raise LookupError(f"no successor for commune {old_official}: import the divisions first")
    return link.successor


def _unit(code: str, **fields) -> Unit:
    from trienkhai.demo.vinh_thuan import _unit as make

    return make(code, **fields)


def committee_name(commune: Unit) -> str:
    """ "Xã Vĩnh Bình" → "Đảng ủy xã Vĩnh Bình"."""
    name = commune.latest_version().name
    return f"Đảng ủy {name[0].lower()}{name[1:]}"


def reorganise(district: District, province: Province) -> dict[str, Unit]:
    """Create the bodies that carry ``district`` from 01/07/2025 and record the lineage."""
    tu_new = _unit(
        f"TU-{province.suffix}",
        name=f"Tỉnh ủy {province.name}",
        kind="party_committee",
        parent=Unit.objects.get(code=province.division),
        valid_from=REFORM,
        abbreviation="TU",
    )
    board_new = _unit(
        f"BTGDVTU-{province.suffix}",
        name=f"Ban Tuyên giáo và Dân vận Tỉnh ủy {province.name}",
        kind="board",
        parent=tu_new,
        valid_from=REFORM,
        abbreviation="BTGDVTU",
    )
    steering_new = _unit(
        f"BCD35-{province.suffix}",
        name=f"Ban Chỉ đạo 35 Tỉnh ủy {province.name}",
        kind="steering_committee",
        parent=tu_new,
        valid_from=REFORM,
        abbreviation="BCĐ35",
    )
    target_of: dict[str, Unit] = {}
    committees: dict[str, Unit] = {}
    for _, old_official in [*district.communes, (None, district.seat)]:
        commune = successor_commune(old_official)
        official = commune.code.removeprefix("HC25-")
        if official not in committees:
            committees[official] = _unit(
                f"DU-{province.suffix}-{official}",
                name=committee_name(commune),
                kind="party_committee",
                parent=tu_new,
                valid_from=REFORM,
                abbreviation="ĐU",
            )
        target_of[old_official] = committees[official]
    result = {"tu": tu_new, "board": board_new, "steering": steering_new, **committees}
    district.hu.refresh_from_db()
    if district.hu.valid_to is not None:
        return result
    # Children before their parents: the services refuse to end a unit that has some.
    for committee, old_official in district.communes:
        services.merge_units(
            acting_user=DEMO, predecessors=[committee], into=target_of[old_official], on=REFORM
        )
    for cell in district.agencies:
        services.merge_units(
            acting_user=DEMO, predecessors=[cell], into=target_of[district.seat], on=REFORM
        )
    services.merge_units(acting_user=DEMO, predecessors=[district.board], into=board_new, on=REFORM)
    services.merge_units(
        acting_user=DEMO, predecessors=[district.steering], into=steering_new, on=REFORM
    )
    services.split_unit(
        acting_user=DEMO, unit=district.hu, into=[tu_new, *committees.values()], on=REFORM
    )
    district.tu.refresh_from_db()
    if district.tu.valid_to is None and not _has_children(district.tu):
        services.merge_units(acting_user=DEMO, predecessors=[district.tu], into=tu_new, on=REFORM)
    return result


def _has_children(unit: Unit) -> bool:
    from trienkhai.orgs import queries

    return bool(queries.children(unit, REFORM))
