"""The set-up the reporting benchmarks share: a province under the country, many units
written with two multi-row inserts, and the indicators of a wide form (60 × 6 options).

Django must be set up (inside a worker) before these are called.
"""

import datetime as dt

from trienkhai.common.actors import BENCH

DAY = dt.date(2015, 1, 1)
"""The day the benchmarks' units and forms start."""


def settled() -> None:
    """PostgreSQL's statistics of what the set-up wrote, as autovacuum gathers them within a
    minute of a bulk load on a running server (its default ``autovacuum_naptime``). Without
    them the planner guesses: the grid's check of a typed value took 71 ms instead of 4 on
    a quiet machine, where the set-up ends too soon for autovacuum to come by (on a loaded
    one it often had). SQLite gathers none unless asked, and trienkhai does not ask for
    values, so SQLite is measured as it runs."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def kind(code: str):
    from trienkhai.orgs.models import UnitKind

    return UnitKind.objects.get(code=code)


def province(day: dt.date = DAY):
    """The standard data, and province "TINH" under the country from ``day``."""
    from trienkhai.orgs import services as org_services
    from trienkhai.orgs.kinds import ROOT_CODE, ensure_standard_data
    from trienkhai.orgs.models import Unit

    ensure_standard_data()
    return org_services.create_unit(
        acting_user=BENCH,
        code="TINH",
        name="Tỉnh thử",
        kind=kind("province"),
        parent=Unit.objects.get(code=ROOT_CODE),
        valid_from=day,
    )


def units(parent, unit_kind, codes: list[str], day: dt.date = DAY, *, name: str = "Đơn vị") -> list:
    """Units ``codes`` of ``unit_kind`` under ``parent`` from ``day``, named
    "<name> <code>": two multi-row inserts (``orgs.services.create_unit`` one by one
    would cost minutes for 10,000)."""
    from trienkhai.orgs.models import Unit, UnitVersion
    from trienkhai.vn import fold

    made = Unit.objects.bulk_create(
        [Unit(code=code, valid_from=day) for code in codes], batch_size=2000
    )
    UnitVersion.objects.bulk_create(
        [
            UnitVersion(
                unit=unit,
                name=f"{name} {unit.code}",
                kind=unit_kind,
                parent=parent,
                valid_from=day,
                search_key=fold(f"{name} {unit.code}"),
            )
            for unit in made
        ],
        batch_size=2000,
    )
    return made


def wide_indicators(count: int = 60, options: int = 6) -> list:
    """``count`` indicators ct_00… disaggregated by one group of ``options`` options
    nhom_0…: the 60 × 6 form of the issues' targets."""
    from trienkhai.reporting import services
    from trienkhai.reporting.models import Disaggregation

    groups = Disaggregation.objects.create(code="doi_tuong", name="Đối tượng")
    for n in range(options):
        groups.options.create(code=f"nhom_{n}", name=f"Nhóm {n}", sort_order=n)
    return [
        services.create_indicator(
            acting_user=BENCH, code=f"ct_{n:02d}", name=f"Chỉ tiêu {n}", disaggregation=groups
        )
        for n in range(count)
    ]


def commune_form(districts: int, communes: int, indicators: int):
    """Province "TINH" of ``districts`` × ``communes`` communes and a half-yearly form
    "XA" of ``indicators`` plain indicators for its communes: the outliers' and the
    data-quality page's benchmarks. Answers (province, communes, indicators, form)."""
    from trienkhai.reporting import services

    top = province()
    commune = kind("commune")
    found = []
    for d, district in enumerate(
        units(top, kind("district"), [f"H{n:04d}" for n in range(districts)])
    ):
        found += units(district, commune, [f"X{d:02d}{n:04d}" for n in range(communes)])
    made = [
        services.create_indicator(acting_user=BENCH, code=f"ct_{n:02d}", name=f"Chỉ tiêu {n}")
        for n in range(indicators)
    ]
    form = services.create_form(
        acting_user=BENCH,
        code="XA",
        name="Biểu các xã",
        owner=top,
        period_type="sixmonthly",
        indicators=made,
        kind=commune,
        valid_from=DAY,
    )
    return top, found, made, form
