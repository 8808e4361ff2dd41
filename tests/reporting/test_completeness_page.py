"""The completeness page: numbers, chart, units to remind, and who may see it."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.reporting import services
from trienkhai.reporting.models import Submission

PERIOD = "2020S1"  # deadline: 30/06/2020 + 10 days = 10/07/2020


def url(code="HK", unit="D1", period=PERIOD, name="page"):
    return reverse(f"completeness:{name}", args=[code, unit, period])


def report(form, unit, *, on: dt.date, values=None):
    """``unit`` reports ``form`` for PERIOD; its first submission dated ``on`` (history replayed)."""
    services.save_values(
        acting_user=SYSTEM,
        form=form,
        unit=unit,
        period_id=PERIOD,
        cells=[services.CellInput(k, v) for k, v in (values or {"lop_da_mo": 2}).items()],
    )
    services.submit(acting_user=SYSTEM, form=form, unit=unit, period_id=PERIOD)
    when = dt.datetime(on.year, on.month, on.day, 9, tzinfo=dt.UTC)
    Submission.objects.filter(form=form, unit=unit, period=PERIOD).update(
        first_submitted=when, submitted=when
    )


def person(username, unit, full_name):
    user = f.make_user(username, unit=unit, role="reporter")
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


@pytest.fixture
def one_late(form, org):
    """C1 reported late (15/07/2020); C2 never did; C2's reporter is named Lê Thị Nhắc."""
    person("nhac", org.c2, "Lê Thị Nhắc")
    report(form, org.c1, on=dt.date(2020, 7, 15))
    return form


def test_it_shows_the_counts_and_the_deadline(web, personas, one_late):
    response = web(personas.viewer).get(url())
    assert response.status_code == 200
    page = response.content.decode()
    for name, n in [("expected", 2), ("submitted", 1), ("on_time", 0), ("late", 1), ("missing", 1)]:
        assert f'data-count="{name}">{n}<' in page
    assert "10/07/2020" in page
    assert "Xã Vĩnh Bình Bắc" in page and reverse("orgs:unit", args=["C2"]) in page
    assert (
        'rel="prev"' in page and reverse("completeness:page", args=["HK", "D1", "2019S2"]) in page
    )
    assert reverse("completeness:page", args=["HK", "D1", "2020S2"]) in page


def test_it_draws_the_chart_as_inline_svg(web, personas, one_late):
    page = web(personas.viewer).get(url()).content.decode()
    assert (
        "<svg" in page.split("<main")[1]
        and 'class="deadline"' in page
        and 'class="expected"' in page
    )
    # Coordinates are written without the Vietnamese decimal comma, whatever the locale.
    assert re.search(r'class="deadline" x1="[\d.]+" x2="[\d.]+"', page)
    assert (
        'class="submitted"' in page
        and "<script" not in page.split("<main")[1].split("<svg")[1].split("</svg>")[0]
    )


def test_it_counts_on_time_and_names_a_returned_unit_to_remind(web, personas, form, org):
    report(form, org.c1, on=dt.date(2020, 7, 3))
    report(form, org.c2, on=dt.date(2020, 7, 4))
    submission = Submission.objects.get(unit=org.c2)
    services.return_submission(acting_user=SYSTEM, submission=submission, comment="Thiếu số lớp")
    person("nhac", org.c2, "Lê Thị Nhắc")
    page = web(personas.manager).get(url()).content.decode()
    assert 'data-count="on_time">1<' in page and 'data-count="returned">1<' in page
    assert "Thiếu số lớp" in page
    assert "Xã Vĩnh Bình Bắc (C2) — bị trả lại — Báo cáo viên: Lê Thị Nhắc" in page


def test_it_lists_the_units_to_remind_with_their_reporters(web, personas, one_late):
    page = web(personas.viewer).get(url()).content.decode()
    remind = page.split('id="remind"')[1]
    assert "Lê Thị Nhắc" in remind and "Thị trấn Vĩnh Thuận" not in remind
    response = web(personas.viewer).get(url(name="remind_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="Danh-sach-nhac-Bao-cao-6-thang-Huyen-Vinh-Thuan-'
        '6-thang-dau-nam-2020.csv"'
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "C2,Xã Vĩnh Bình Bắc,chưa gửi,Báo cáo viên,Lê Thị Nhắc"


def test_it_refuses_outsiders(web, personas, one_late):
    assert web(personas.outsider).get(url()).status_code == 403
    assert web(personas.outsider).get(url(name="remind_csv")).status_code == 403
    assert web(personas.nobody).get(url()).status_code == 403


def test_it_redirects_anonymous_readers_to_the_log_in(web, one_late):
    response = web().get(url())
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_answers_only_get(web, personas, one_late):
    assert web(personas.viewer).post(url()).status_code == 405


def test_it_refuses_a_period_of_the_wrong_type(web, personas, one_late):
    assert web(personas.viewer).get(url(period="2020")).status_code == 400
    assert web(personas.viewer).get(url(code="NOPE")).status_code == 404


def test_it_reads_in_a_fixed_number_of_queries(
    web, personas, form, org, django_assert_max_num_queries
):
    """GIVEN ten more reporting units, WHEN the page is read, THEN no query per unit."""
    client = web(personas.viewer)
    with django_assert_max_num_queries(20) as few:
        client.get(url())
    cells = [
        f.make_unit(
            f"C{n}",
            name=f"Xã {n}",
            kind_code="commune",
            parent=org.d1,
            valid_from=dt.date(2008, 8, 1),
        )
        for n in range(3, 13)
    ]
    for cell in cells:
        form.assignments.create(unit=cell, valid_from=dt.date(2019, 1, 1))
        f.make_user(f"r{cell.code}", unit=cell, role="reporter")
    for cell in cells[:5]:
        report(form, cell, on=dt.date(2020, 7, 20))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url())
    assert 'data-count="expected">12<' in response.content.decode()


def test_it_quotes_a_name_typed_as_a_formula_in_the_csv(web, personas, form, org):
    person("congthuc", org.c2, '=HYPERLINK("http://example.invalid","A")')
    response = web(personas.viewer).get(url(name="remind_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert '\'=HYPERLINK("http://example.invalid","A")' in [row[-1] for row in rows]


def _labels(firsts, deadline, period=PERIOD):
    from trienkhai.reporting.completeness import chart
    from trienkhai.reporting.periods import parse

    drawn = chart(firsts, expected=3, deadline=deadline, period=parse(period))
    xs = [x for x, _label, _anchor in drawn.x_ticks]
    assert xs == sorted(xs) and len(xs) <= 6  # left to right, a few
    return [label for _x, label, _anchor in drawn.x_ticks]


def test_it_names_the_years_on_the_axis_when_the_span_crosses_one():
    """GIVEN reports sent from 31/12/2020 (6 tháng cuối năm 2020) to 07/12/2026
    THEN the axis reads 2021 … 2026 from left to right, never "31/12 27/12 23/12"."""
    days = [dt.date(2020, 12, 31), dt.date(2021, 1, 10), dt.date(2026, 12, 7)]
    assert _labels(days, dt.date(2021, 1, 15), "2020S2") == [
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
        "2026",
    ]
    # A few weeks across a new year: each day with its year.
    labels = _labels([dt.date(2021, 1, 5)], dt.date(2021, 1, 15), "2020S2")
    assert labels[0] == "31/12/2020" and labels[-1].endswith("/2021")
    # Within one year: days and months only.
    assert all(len(label) == 5 for label in _labels([], dt.date(2020, 7, 10)))
    # Months apart: the first of each month named, with its year.
    labels = _labels([dt.date(2021, 3, 1)], dt.date(2020, 7, 10))
    assert labels[0] == "07/2020" and labels[-1] in {"01/2021", "03/2021"}


def test_it_lets_the_chart_scale_to_a_phone(web, personas, one_late):
    page = web(personas.viewer).get(url()).content.decode()
    chart = page.split('id="chart"')[1]
    svg = chart[chart.index("<svg") : chart.index(">", chart.index("<svg"))]
    assert 'viewBox="0 0 480 240" width="100%"' in svg
    assert "chart-scroll" not in page  # no fixed 560 px width cut on a 390 px phone
