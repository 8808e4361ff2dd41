"""Chợ Đồn 2019–2021 from its register of activities, not typed totals (issue 16).

GIVEN the demo dataset, whose Chợ Đồn classes and conferences are registered events with
attendance lists (demo/chodon_activities.py)
WHEN the register, the engine, the form and the regenerated review are read
THEN they give shared/DOMAIN.md's 12 classes, 04 study and 12 online conferences and
20.673 participant-attendances, with far fewer people than attendances, and nobody
typed any of those figures.
"""

import io
import re

import docx
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

from tests.drafting.reading import docx_text
from trienkhai.accounts.models import User
from trienkhai.activities.models import Attendance, Audience, Event, Person
from trienkhai.analytics.engine import rollup
from trienkhai.demo import chodon, chodon_activities
from trienkhai.demo.reporting import CD_COUNTED, CD_YEARS
from trienkhai.drafting import reports
from trienkhai.drafting.layout import render_docx
from trienkhai.drafting.models import Report
from trienkhai.orgs.models import Unit
from trienkhai.reporting.models import DataValue, Form

TYPED = [
    "lop_boi_duong_llct",
    "hoi_nghi_hoc_tap",
    "hoi_nghi_truc_tuyen",
    "luot_tham_gia",
    "luot_theo_doi_tuong",
    "binh_quan_luot",
]
"""What Chợ Đồn typed before its activities were registered."""


def client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def cho_don_units() -> list[Unit]:
    return list(Unit.objects.filter(code__in=["HU-CD", *chodon.reporting_codes()]))


def test_it_registers_the_events_of_each_year(demo, db):
    events = Event.objects.filter(organiser__in=cho_don_units())
    by_year = {
        (e["start__year"], e["kind"]): e["n"]
        for e in events.values("start__year", "kind").annotate(n=Count("id"))
    }
    for year, (classes, study, online, *_posts) in CD_YEARS.items():
        assert by_year.get((int(year), "class"), 0) == classes
        assert by_year.get((int(year), "study_conference"), 0) == study
        assert by_year.get((int(year), "online_conference"), 0) == online
    organisers = {(e.kind, e.organiser.code) for e in events.select_related("organiser")}
    assert organisers == {
        ("class", "CB-CD-05"),
        ("study_conference", "CB-CD-04"),
        ("online_conference", "CB-CD-03"),
    }
    assert chodon_activities.plan_is_consistent()


def test_attendances_add_up_to_20673_with_each_years_total(demo, db):
    attendances = Attendance.objects.filter(organiser__in=cho_don_units())
    assert attendances.count() == 20673
    for year, (*_events, attended, _centre, _portal) in CD_YEARS.items():
        assert attendances.filter(date__year=int(year)).count() == attended
    # Each attendance is at a session of its event, dated as the session.
    assert not attendances.exclude(date=F("session__date")).exists()


def test_people_come_back_and_are_from_the_district(demo, db):
    attendances = Attendance.objects.filter(organiser__in=cho_don_units())
    people = Person.objects.filter(attendances__in=attendances).distinct()
    distinct = people.count()
    assert 1500 < distinct < 20673 // 5  # about 8 attendances a person
    district = {u.pk for u in cho_don_units()} | {Unit.objects.get(code="BTGHU-CD").pk}
    assert set(people.values_list("unit_id", flat=True)) <= district
    # Every attendance carries a group; officials and members are most of them.
    groups = dict(attendances.values_list("audience").annotate(n=Count("id")))
    assert set(groups) == set(Audience.values)
    assert groups["dang_vien"] + groups["can_bo"] > 0.8 * 20673
    # A person's details are only what the figures need, and look like a list's row.
    someone = people.filter(audience="can_bo", unit__code=chodon.commune_code("02020")).first()
    assert someone is not None and someone.position and len(someone.name.split()) >= 3


def test_the_engine_counts_12_classes_4_and_12_conferences_and_20673_attendances(demo, db):
    cells = rollup(
        indicators=[
            "act_classes",
            "act_study_conferences",
            "act_online_conferences",
            "act_conferences",
            "act_attendances",
            "act_participants",
        ],
        periods=["2019..2021", "2021"],
        units=["HU-CD"],
    )
    got = {(c.indicator, c.period): c.value for c in cells if c.option == ""}
    assert got[("act_classes", "2019..2021")] == 12
    assert got[("act_study_conferences", "2019..2021")] == 4
    assert got[("act_online_conferences", "2019..2021")] == 12
    assert got[("act_conferences", "2019..2021")] == 16
    assert got[("act_attendances", "2019..2021")] == 20673
    assert got[("act_attendances", "2021")] == 8679
    people = got[("act_participants", "2019..2021")]
    assert (
        people
        == Person.objects.filter(attendances__organiser__in=cho_don_units()).distinct().count()
    )
    # Distinct people over three years are fewer than the three years' people added up.
    assert people < sum(
        c.value
        for c in rollup(
            indicators=["act_participants"], periods=["2019", "2020", "2021"], units=["HU-CD"]
        )
    )


def test_the_figures_endpoint_answers_the_district_and_its_cells(demo, db):
    manager = client("ql.chodon")
    answer = manager.get("/api/v1/activities/figures?unit=HU-CD&period=2019..2021")
    assert answer.status_code == 200
    values = {row["code"]: row["value"] for row in answer.json()}
    assert (values["act_classes"], values["act_conferences"], values["act_attendances"]) == (
        12,
        16,
        20673,
    )
    cell = manager.get("/api/v1/activities/figures?unit=CB-CD-05&period=2019").json()
    assert {row["code"]: row["value"] for row in cell}["act_classes"] == 4


def test_nobody_typed_those_figures(demo, db):
    form = Form.objects.get(code="BC35-CD-NAM")
    listed = set(form.items.values_list("indicator__code", flat=True))
    assert set(CD_COUNTED) <= listed and not listed & set(TYPED)
    typed = DataValue.objects.filter(
        unit__in=cho_don_units(),
        period__in=list(CD_YEARS),
        indicator__code__in=[*TYPED, *CD_COUNTED],
    )
    assert not typed.exists()
    # The reports were still entered, submitted and approved for the other indicators.
    assert DataValue.objects.filter(unit__in=cho_don_units(), period="2020").exists()


def test_the_grid_shows_the_counted_figures_read_only(demo, db):
    page = client("ql.chodon").get(
        reverse("reporting:grid", args=["BC35-CD-NAM", "CB-CD-05", "2019"])
    )
    assert page.status_code == 200
    html = page.content.decode()
    counted = {
        (code, option): int(value.replace(".", ""))
        for code, option, value in re.findall(
            r'class="cell-counted" data-indicator="(\w+)" data-option="(\w*)">([\d.]+)<', html
        )
    }
    assert counted[("act_classes", "")] == 4 and counted[("act_online_conferences", "")] == 0
    # Attendances by audience group: the groups add up to the register's list.
    groups = [n for (code, option), n in counted.items() if code == "act_attendances"]
    assert len(groups) == len(Audience.values)
    organised = Attendance.objects.filter(organiser__code="CB-CD-05", date__year=2019)
    assert sum(groups) == organised.count()
    assert "Đếm từ sổ hoạt động" in html


def test_a_reporter_sees_the_figures_not_the_names(demo, db):
    unit = chodon.commune_code("02083")
    someone = Person.objects.filter(unit__code=unit).order_by("id").first()
    assert someone is not None
    reporter = client("bc.yenphong")
    assert reporter.get(f"/api/v1/activities/figures?unit={unit}&period=2021").status_code == 200
    assert reporter.get(f"/api/v1/activities/people/{someone.pk}").status_code == 403
    record = client("ql.chodon").get(f"/api/v1/activities/people/{someone.pk}")
    assert record.status_code == 200 and record.json()["name"] == someone.name


def test_the_review_reads_the_same_from_the_register(demo, db):
    """GIVEN the Chợ Đồn review draft (so-ket-nhieu-nam, HU-CD, 2019..2021) WHEN it is
    generated from the live figures THEN it reads seed 003's sentence and its table's
    totals, as when the figures were typed."""
    report = Report.objects.get(unit__code="HU-CD", period="2019..2021")
    data = render_docx(reports.build(report))
    text = " ".join(docx_text(data).split())
    assert (
        "Giai đoạn 2019 - 2021, Đảng bộ đã triển khai được 12 lớp bồi dưỡng lý luận chính "
        "trị; 04 hội nghị học tập, quán triệt các văn bản của Trung ương, của tỉnh, huyện; "
        "12 hội nghị trực tuyến, với 20.673 lượt cán bộ, đảng viên tham gia học tập."
    ) in text
    tables = docx.Document(io.BytesIO(data)).tables
    years = next(t for t in tables if t.rows[0].cells[0].text == "Kỳ báo cáo")
    rows = [[c.text for c in row.cells] for row in years.rows[1:]]
    assert rows == [
        ["Năm 2019", "4", "1", "0", "5.120"],
        ["Năm 2020", "4", "2", "4", "6.874"],
        ["Năm 2021", "4", "1", "8", "8.679"],
        ["Tổng cộng", "12", "4", "12", "20.673"],
    ]


def test_a_class_s_learners_hold_certificates_and_a_conference_has_its_sites(demo, db):
    """GIVEN the register WHEN the 2021 class for new members and the online conference on
    the XIII Congress are read THEN the learners present at every session hold a valid
    certificate each, and the conference has 12 communes' halls as connected sites
    without head counts: the year's attendances stay 8.679."""
    from trienkhai.activities import figures
    from trienkhai.activities.models import Certificate, Site, SiteCount

    event = Event.objects.get(title=chodon_activities.CERTIFIED)
    held = Certificate.objects.filter(event=event, state=Certificate.State.VALID)
    sessions = event.sessions.count()
    every = (
        Attendance.objects.filter(session__event=event)
        .values("person")
        .annotate(n=Count("id"))
        .filter(n=sessions)
        .count()
    )
    assert held.count() == every > 0
    assert held.first().symbol.endswith("GCN") or "GCN" in held.first().symbol
    conference = Event.objects.get(title=chodon_activities.SITES_AT)
    found = Site.objects.filter(event=conference)
    assert found.count() == 12 and not SiteCount.objects.filter(site__event=conference).exists()
    assert found.filter(place__startswith="Hội trường Đảng ủy xã").count() >= 1
    hu = Unit.objects.get(code="HU-CD")
    import datetime as dt

    year = figures.subtree_figures(hu, dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert year[("act_attendances", "")] == 8679
