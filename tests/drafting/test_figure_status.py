"""A report counts the figures its template says (approved by default, decision 0020),
lists the units whose reports are missing or not approved, and issuing warns about them
until the user acknowledges the list (a warning, not a block)."""

import datetime as dt

import pytest

from tests.drafting.conftest import signed
from tests.factories import SYSTEM
from trienkhai.common.errors import BadInput
from trienkhai.drafting import reports, services
from trienkhai.reporting import services as reporting
from trienkhai.reporting.models import Submission


def draft(district, templates, **more):
    return signed(
        services.create_report(
            acting_user=SYSTEM,
            template=templates["so-ket-6-thang"],
            unit=district.hu,
            issuer=district.board,
            period="2020S1",
            date=dt.date(2020, 6, 29),
            **more,
        )
    )


def unlock_one(district):
    report = Submission.objects.filter(form=district.form, period="2020S1").order_by("unit__code")[
        0
    ]
    reporting.unlock(acting_user=SYSTEM, submission=report, comment="kiểm tra lại")
    return report.unit


def test_a_template_sets_the_default_and_a_draft_may_count_more(district, templates):
    assert draft(district, templates).figure_status == "approved"
    assert draft(district, templates, figure_status="all").figure_status == "all"
    with pytest.raises(BadInput) as refused:
        draft(district, templates, figure_status="draft")
    assert refused.value.code == "invalid_status"


def test_an_unlocked_units_figures_leave_an_approved_report_but_not_an_all_one(district, templates):
    approved = draft(district, templates)
    everything = draft(district, templates, figure_status="all")
    before = reports.page_of(approved).figures.totals
    unlock_one(district)
    after = reports.page_of(approved).figures.totals
    assert after != before  # the unlocked unit's figures are out of the approved totals
    assert reports.page_of(everything).figures.totals == before


def test_it_lists_the_units_not_approved_and_issuing_warns_until_acknowledged(
    district, templates, manager, media
):
    report = draft(district, templates)
    assert reports.unreviewed(report) == []
    unit = unlock_one(district)
    waiting = reports.unreviewed(report)
    assert [(row["unit"], row["status"]) for row in waiting] == [(unit.code, "returned")]
    with pytest.raises(BadInput) as warned:
        services.issue_report(acting_user=manager, report=report)
    assert warned.value.code == "figures_not_approved"
    assert warned.value.details == waiting
    report.refresh_from_db()
    assert report.document is None  # no number taken
    issued = services.issue_report(acting_user=manager, report=report, acknowledged=True)
    assert issued.document is not None


def test_the_preview_names_the_form_and_the_period_of_a_report_not_approved(
    district, templates, personas, web
):
    """GIVEN a draft counting approved figures and one unit's report unlocked WHEN the
    preview lists it THEN by the form's name and the period in words, not by the codes
    "F6T" and "2020S1"; in English too; an outsider is refused."""
    from django.urls import reverse

    report = draft(district, templates)
    unit = unlock_one(district)
    target = reverse("drafting:preview", args=[report.pk])
    assert web(personas.outsider).get(target).status_code == 403
    client = web(personas.manager)
    page = client.get(target).content.decode()
    table = page[page.index('class="warnings"') :]
    table = table[: table.index("</section>")]
    assert f"({unit.code})</td><td>Báo cáo 6 tháng</td><td>6 tháng đầu năm 2020</td>" in table
    assert "F6T" not in table and "2020S1" not in table
    client.cookies["django_language"] = "en"
    page = client.get(target).content.decode()
    assert "<td>First half of 2020</td>" in page
