"""The data of the kill -9 tests (tests/test_faults.py), made in a database of their own.

Run as ``python -m tests.faults_world`` with ``TRIENKHAI_DATABASE_URL`` set (the tests
give it a copy of their own migrated test database): migrates what is missing, makes a district of ``COMMUNES`` communes reporting a monthly form of ``INDICATORS``
indicators, one saved value (so the totals have rows), an admin with an API token, a
Party board with one issued report (its number series exists) and one draft; prints
what the test needs as JSON on the last line.
"""

import datetime as dt
import json

COMMUNES = 100
INDICATORS = 25
MONTHS = [f"2020{m:02d}" for m in range(1, 13)]


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from tests import factories
    from trienkhai.accounts.services import issue_token
    from trienkhai.documents import services as documents
    from trienkhai.documents.types import ensure_standard_types
    from trienkhai.reporting import services

    start = dt.date(2010, 1, 1)
    district = factories.make_unit("D1", kind_code="district", valid_from=start)
    communes = [
        factories.make_unit(f"C{i:03d}", parent=district, valid_from=start) for i in range(COMMUNES)
    ]
    indicators = [
        services.create_indicator(
            acting_user=factories.SYSTEM, code=f"i{i:02d}", name=f"Chỉ tiêu {i}"
        )
        for i in range(INDICATORS)
    ]
    form = services.create_form(
        acting_user=factories.SYSTEM,
        code="TH",
        name="Báo cáo tháng",
        owner=district,
        period_type="monthly",
        indicators=indicators,
        units=communes,
        valid_from=dt.date(2019, 1, 1),
    )
    services.save_values(
        acting_user=factories.SYSTEM,
        form=form,
        unit=communes[0],
        period_id=MONTHS[0],
        cells=[services.CellInput("i00", 1)],
    )
    admin = factories.make_user("admin", unit=factories.root(), role="admin")

    ensure_standard_types()
    board = factories.make_unit(
        "BTGHU", kind_code="board", parent=district, valid_from=start, abbreviation="BTGHU"
    )
    first = documents.register_draft(
        **factories.SIGNED,
        acting_user=factories.SYSTEM,
        issuer=board,
        type="BC",
        date=dt.date(2021, 5, 1),
        summary="Một",
    )
    first = documents.issue(acting_user=factories.SYSTEM, document=first)
    draft = documents.register_draft(
        **factories.SIGNED,
        acting_user=factories.SYSTEM,
        issuer=board,
        type="BC",
        date=dt.date(2021, 5, 2),
        summary="Hai",
    )
    print(
        json.dumps(
            {
                "token": issue_token(user=admin),
                "draft": draft.pk,
                "series": first.series_id,
                "district": district.pk,
            }
        )
    )


def csv_rows() -> bytes:
    """Every cell of the form for every commune and month but the one saved: 29,999 rows."""
    lines = ["form,unit,period,indicator,option,value"]
    for i in range(COMMUNES):
        for month in MONTHS:
            for k in range(INDICATORS):
                if (i, month, k) != (0, MONTHS[0], 0):
                    lines.append(f"TH,C{i:03d},{month},i{k:02d},,{i + k + 1}")
    return ("\n".join(lines) + "\n").encode()


if __name__ == "__main__":
    main()
