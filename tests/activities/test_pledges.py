"""Members' pledge lists (bản đăng ký tu dưỡng, rèn luyện): recorded per cell and year,
counted on time or late, rolled up; the API with its forbidden cases and bad files
(activities/pledges.py, activities/api.py)."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.activities.conftest import attend, make_event
from tests.factories import SYSTEM
from trienkhai.activities import figures, people, pledges
from trienkhai.activities.models import Person, Pledge, PledgeList
from trienkhai.activities.pledges import PledgeRow
from trienkhai.analytics import engine
from trienkhai.common.errors import BadInput
from trienkhai.reporting import sources
from trienkhai.reporting.models import Indicator

DEADLINE = dt.date(2020, 4, 15)


@pytest.fixture
def cells(org):
    """Two party cells: CB1 under the town C1, CB2 under the commune C2 (district D1)."""
    return (
        f.make_unit("CB1", name="Chi bộ khóm 1", kind_code="party_cell", parent=org.c1),
        f.make_unit("CB2", name="Chi bộ ấp Vĩnh Đông", kind_code="party_cell", parent=org.c2),
    )


def rows(*members):
    """(name, day handed in or "") → rows."""
    return [PledgeRow(name=name, submitted=day) for name, day in members]


def record(unit, members, *, year=2020, deadline=DEADLINE, user=SYSTEM, **options):
    return pledges.record_pledges(
        acting_user=user, unit=unit, year=year, deadline=deadline, rows=rows(*members), **options
    )


def figures_of(unit, start="2020-01-01", end="2020-12-31"):
    found = figures.every_subtree_figure(
        unit, dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    )
    return {figure.code: int(value) for figure, value in found if "pledges" in figure.code}


@pytest.fixture
def lists(cells):
    """CB1: 3 members, 2 on time, 1 late; CB2: 2 members, 1 on time, 1 not yet."""
    cb1, cb2 = cells
    record(
        cb1,
        [
            ("Nguyễn Văn An", "10/03/2020"),
            ("Lê Thị Bình", "2020-04-15"),
            ("Trần Cường", "20/4/2020"),
        ],
    )
    record(cb2, [("Phạm Thị Dung", "01/04/2020"), ("Võ Văn Em", "")])
    return cells


# Services -----------------------------------------------------------------------------


def test_it_records_a_cells_members_as_people_of_the_cell(lists):
    cb1, _ = lists
    pledge_list = PledgeList.objects.get(unit=cb1, year=2020)
    assert pledge_list.deadline == DEADLINE
    members = pledges.members(pledge_list)
    assert [m["name"] for m in members] == ["Lê Thị Bình", "Nguyễn Văn An", "Trần Cường"]
    assert [m["on_time"] for m in members] == [True, True, False]
    assert set(Person.objects.filter(unit=cb1).values_list("audience", flat=True)) == {"dang_vien"}
    assert pledges.list_counts(pledge_list) == {
        "expected": 3,
        "submitted": 3,
        "on_time": 2,
        "late": 1,
        "missing": 0,
    }
    # Its history says who recorded it: one row, no names.
    assert pledge_list.history.count() == 1


def test_each_row_is_the_truth_about_its_member_and_replace_makes_the_whole_list(lists):
    """GIVEN CB2's list (Dung on time, Em not yet) WHEN it is sent again with Em's day
    and a new member THEN Em's day is set and Giang added; WHEN the list is sent with
    replace and without Dung THEN Dung leaves the list and stays a person."""
    _, cb2 = lists
    done = record(cb2, [("Võ Văn Em", "14/04/2020"), ("Đỗ Thị Giang", "")], deadline=None)
    assert (done.added, done.changed, done.removed) == (1, 1, 0)
    assert pledges.list_counts(done.pledge_list)["on_time"] == 2
    done = record(
        cb2, [("Võ Văn Em", "14/04/2020"), ("Đỗ Thị Giang", "")], deadline=None, replace=True
    )
    assert (done.added, done.changed, done.removed) == (0, 0, 1)
    assert pledges.list_counts(done.pledge_list)["expected"] == 2
    assert Person.objects.filter(name="Phạm Thị Dung").exists()


def test_a_member_known_from_an_attendance_list_is_the_same_person(org, cells):
    cb1, _ = cells
    event = make_event(org.c1)
    attend(event, ["Nguyễn Văn An"], unit=cb1, group="can_bo")
    record(cb1, [("nguyễn  văn an", "10/03/2020")])
    (person,) = Person.objects.filter(unit=cb1)
    assert person.pledges.count() == 1 and person.attendances.count() == 1
    assert person.audience == "can_bo"  # their group is not rewritten by the list


def test_it_refuses_bad_rows_with_details_and_saves_nothing(org, cells):
    cb1, cb2 = cells
    record(cb2, [("Phạm Thị Dung", "01/04/2020")])
    dung = Person.objects.get(name="Phạm Thị Dung")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    bad = [
        PledgeRow(name="Nguyễn Văn An", submitted="31/02/2020"),
        PledgeRow(name="Lê Thị Bình", unit="CB2", submitted="01/04/2020"),
        PledgeRow(name="Trần Cường", submitted="01/04/2017"),
        PledgeRow(name="Nguyễn Văn An"),
        PledgeRow(person=str(dung.pk)),
        PledgeRow(name="", submitted="hôm qua"),
        PledgeRow(name="Hồ Văn Tới", submitted=f"{tomorrow:%d/%m/%Y}"),
    ]
    with pytest.raises(BadInput) as refused:
        pledges.record_pledges(
            acting_user=SYSTEM, unit=cb1, year=tomorrow.year, deadline=None, rows=bad
        )
    assert refused.value.code == "missing_deadline"
    with pytest.raises(BadInput) as refused:
        pledges.record_pledges(acting_user=SYSTEM, unit=cb1, year=2020, deadline=DEADLINE, rows=bad)
    assert refused.value.code == "invalid_rows"
    assert [(d["row"], d["column"]) for d in refused.value.details] == [
        (1, "submitted"),
        (2, "unit"),
        (3, "submitted"),
        (4, "name"),
        (5, "person"),
        (6, "name"),
        (6, "submitted"),
        (7, "submitted"),
    ]
    assert refused.value.details[1]["problem"] == (
        "Đảng viên của đơn vị khác (CB2); danh sách này của Chi bộ khóm 1 / "
        "a member of another unit (CB2); this list is Chi bộ khóm 1's"
    )
    assert not PledgeList.objects.filter(unit=cb1).exists()
    assert not Person.objects.filter(unit=cb1).exists()


def test_the_unit_column_names_the_cell_in_words_or_by_code(org, cells):
    cb1, _ = cells
    members = [
        PledgeRow(name="Nguyễn Văn An", unit="Chi bộ khóm 1", submitted="01/04/2020"),
        PledgeRow(name="Lê Thị Bình", unit="chi bo khom 1", submitted="02/04/2020"),
        PledgeRow(name="Trần Văn Cường", unit="CB1", submitted="03/04/2020"),
    ]
    pledges.record_pledges(acting_user=SYSTEM, unit=cb1, year=2020, deadline=DEADLINE, rows=members)
    assert Person.objects.filter(unit=cb1).count() == 3


def test_an_erased_person_is_not_written_again_by_id(org, cells):
    """GIVEN a member whose personal data was erased WHEN a list names them by id
    THEN the row is refused: nothing new is attached to an erased record."""
    cb1, _ = cells
    record(cb1, [("Nguyễn Văn An", "01/04/2020")])
    an = Person.objects.get(name="Nguyễn Văn An")
    people.erase(acting_user=SYSTEM, person=an)
    with pytest.raises(BadInput) as refused:
        pledges.record_pledges(
            acting_user=SYSTEM,
            unit=cb1,
            year=2021,
            deadline=dt.date(2021, 4, 15),
            rows=[PledgeRow(person=str(an.pk), submitted="01/04/2021")],
        )
    assert "đã bị xóa thông tin" in refused.value.details[0]["problem"]


def test_it_refuses_a_deadline_of_another_year_and_a_unit_that_did_not_exist(org, cells):
    cb1, _ = cells
    with pytest.raises(BadInput) as refused:
        record(cb1, [("A", "")], deadline=dt.date(2023, 4, 15))
    assert refused.value.code == "invalid_deadline"
    with pytest.raises(BadInput) as refused:
        record(cb1, [("A", "")], year=2005, deadline=dt.date(2005, 4, 15))
    assert refused.value.code == "unit_not_existing"
    with pytest.raises(BadInput) as refused:
        record(cb1, [])
    assert refused.value.code == "empty_list"
    assert not PledgeList.objects.exists()


def test_only_who_may_change_the_cell_records_its_list(personas, cells):
    cb1, _ = cells
    for user in (personas.outsider, personas.viewer, personas.reporter):
        with pytest.raises(PermissionDenied):
            record(cb1, [("Nguyễn Văn An", "")], user=user)
    record(cb1, [("Nguyễn Văn An", "")], user=personas.manager)
    assert PledgeList.objects.get().history.get().history_user == personas.manager


# Figures ------------------------------------------------------------------------------


def test_it_counts_on_time_and_late_and_rolls_up_to_the_district(org, lists):
    cb1, _ = lists
    assert figures_of(cb1) == {
        "act_pledges_expected": 3,
        "act_pledges_submitted": 3,
        "act_pledges_on_time": 2,
    }
    assert figures_of(org.c2) == {
        "act_pledges_expected": 2,
        "act_pledges_submitted": 1,
        "act_pledges_on_time": 1,
    }
    assert figures_of(org.d1) == {
        "act_pledges_expected": 5,
        "act_pledges_submitted": 4,
        "act_pledges_on_time": 3,
    }
    assert figures_of(org.d2)["act_pledges_expected"] == 0
    # As they stood at the end of March: An only.
    assert figures_of(org.d1, "2020-01-01", "2020-03-31") == {
        "act_pledges_expected": 5,
        "act_pledges_submitted": 1,
        "act_pledges_on_time": 1,
    }
    assert figures_of(org.d1, "2021-01-01", "2021-12-31")["act_pledges_expected"] == 0


def test_the_counts_and_figures_cost_the_same_few_queries_for_two_lists_or_twelve(org, lists):
    def cost():
        with CaptureQueriesContext(connection) as done:
            pledges.counts(org.d1, 2020)
            pledges.SOURCE.values(
                [pledges.EXPECTED, pledges.ON_TIME],
                [org.d1.pk, org.c1.pk],
                dt.date(2020, 1, 1),
                dt.date(2020, 12, 31),
                dt.date(2020, 12, 31),
                {},
            )
        return len(done)

    two = cost()
    assert two <= 6  # counts: subtree, lists, units' names; figures: two subtrees, lists
    for n in range(10):
        cell = f.make_unit(f"CBX{n}", kind_code="party_cell", parent=org.c2)
        record(cell, [(f"Đảng viên {n}", "01/04/2020"), ("Người khác", "")])
    assert cost() == two


def test_a_span_of_years_adds_each_years_list(org, cells):
    cb1, _ = cells
    record(cb1, [("An", "01/03/2019")], year=2019, deadline=dt.date(2019, 3, 31))
    record(cb1, [("An", "01/03/2020"), ("Bình", "01/05/2020")])
    assert figures_of(org.d1, "2019-01-01", "2020-12-31") == {
        "act_pledges_expected": 3,
        "act_pledges_submitted": 3,
        "act_pledges_on_time": 2,
    }


def test_the_years_of_a_span_skip_the_nd09_fortnight_before_a_year():
    assert list(pledges.years_of(dt.date(2019, 12, 15), dt.date(2020, 12, 14))) == [2020]
    assert list(pledges.years_of(dt.date(2020, 12, 1), dt.date(2020, 12, 31))) == [2020]
    assert list(pledges.years_of(dt.date(2019, 1, 1), dt.date(2021, 12, 31))) == [2019, 2020, 2021]


def test_the_engine_answers_the_pledges_like_any_indicator(org, lists):
    assert sources.get("pledges") is pledges.SOURCE
    sourced = set(Indicator.objects.filter(source="pledges").values_list("code", flat=True))
    assert sourced == {"act_pledges_expected", "act_pledges_submitted", "act_pledges_on_time"}
    cells = engine.rollup(
        indicators=["act_pledges_expected", "act_pledges_on_time"],
        periods=["2020", "2020S2"],
        units=["D1", "C1", "P1"],
    )
    got = {(c.indicator, c.period, c.unit): c.value for c in cells}
    assert got[("act_pledges_expected", "2020", "P1")] == 5
    assert got[("act_pledges_on_time", "2020", "C1")] == 2
    assert got[("act_pledges_on_time", "2020S2", "D1")] == 3


def test_erasing_a_member_keeps_the_counts(org, personas, lists):
    """GIVEN the district's lists WHEN the manager erases a late member THEN the name is
    gone, the export names nobody, and every count is what it was."""
    cb1, _ = lists
    before = figures_of(org.d1), pledges.counts(org.d1, 2020)
    late = Person.objects.get(name="Trần Cường")
    people.erase(acting_user=personas.manager, person=late)
    assert (figures_of(org.d1), pledges.counts(org.d1, 2020)) == before
    members = pledges.members(PledgeList.objects.get(unit=cb1))
    assert [m["name"] for m in members].count(people.ERASED_NAME) == 1
    exported = people.record(late)
    assert exported["name"] == "" and exported["pledges"][0]["on_time"] is False


def test_a_member_on_a_recent_list_is_kept_by_the_retention(lists):
    assert people.expired(dt.date(2024, 6, 1), years=5) == []
    everyone = set(Person.objects.values_list("pk", flat=True))
    assert set(people.expired(dt.date(2026, 6, 1), years=5)) == everyone


def test_the_counts_of_a_subtree_name_no_one(org, lists):
    found = pledges.counts(org.d1, 2020)
    assert (found["expected"], found["submitted"], found["on_time"], found["missing"]) == (
        5,
        4,
        3,
        1,
    )
    assert str(found["percent_submitted"]) == "80.0"
    assert [row["unit"] for row in found["lists"]] == ["CB2", "CB1"]  # ấp before khóm
    assert "Nguyễn" not in str(found)


# API ----------------------------------------------------------------------------------

LIST = {
    "unit": "CB1",
    "year": 2020,
    "deadline": "2020-04-15",
    "rows": [
        {"name": "Nguyễn Văn An", "position": "Bí thư chi bộ", "submitted": "10/03/2020"},
        {"name": "Lê Thị Bình", "submitted": "2020-04-20"},
        {"name": "Trần Cường"},
    ],
}


def test_the_api_records_a_list_and_answers_its_members_and_counts(cells, personas, api):
    manager = api(personas.manager)
    response = manager.post("activities/pledges", LIST)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["added"], body["expected"], body["on_time"], body["late"], body["missing"]) == (
        3,
        3,
        1,
        1,
        1,
    )
    listed = manager.get("activities/pledges", unit="CB1", year=2020)
    assert listed.status_code == 200, listed.content
    assert [(m["name"], m["on_time"]) for m in listed.json()["members"]] == [
        ("Lê Thị Bình", False),
        ("Nguyễn Văn An", True),
        ("Trần Cường", False),
    ]
    counts = api(personas.viewer).get("activities/pledges/counts", unit="D1", year=2020)
    assert counts.status_code == 200, counts.content
    assert counts.json()["lists"][0] | {"deadline": None} == {
        "unit": "CB1",
        "unit_name": "Chi bộ khóm 1",
        "deadline": None,
        "expected": 3,
        "submitted": 2,
        "on_time": 1,
        "late": 1,
        "missing": 1,
    }
    assert "Nguyễn" not in counts.content.decode()
    got = {
        row["code"]: row["value"]
        for row in api(personas.viewer).get("activities/figures", unit="D1", period="2020").json()
    }
    assert (got["act_pledges_expected"], got["act_pledges_on_time"]) == (3, 1)


def test_the_api_refuses_the_outsider_the_viewer_the_anonymous_and_wrong_methods(
    cells, personas, api
):
    assert api(personas.outsider).post("activities/pledges", LIST).status_code == 403
    assert api(personas.viewer).post("activities/pledges", LIST).status_code == 403
    assert api(personas.reporter).post("activities/pledges", LIST).status_code == 403
    assert api().post("activities/pledges", LIST).status_code == 401
    assert not PledgeList.objects.exists()
    assert api(personas.manager).post("activities/pledges", LIST).status_code == 200
    # Names: only who may change the cell; counts: whoever may view.
    assert api(personas.viewer).get("activities/pledges", unit="CB1", year=2020).status_code == 403
    assert (
        api(personas.outsider).get("activities/pledges", unit="CB1", year=2020).status_code == 403
    )
    assert (
        api(personas.outsider).get("activities/pledges/counts", unit="D1", year=2020).status_code
        == 403
    )
    assert api().get("activities/pledges/counts", unit="D1", year=2020).status_code == 401
    manager = api(personas.manager)
    assert manager.patch("activities/pledges", LIST).status_code == 405
    assert manager.post("activities/pledges/counts", {}).status_code == 405
    assert manager.get("activities/pledges", unit="CB1", year=2019).status_code == 404
    assert manager.get("activities/pledges", unit="XX", year=2020).status_code == 404
    assert manager.post("activities/pledges", LIST | {"unit": "XX"}).status_code == 404


def test_the_api_refuses_bad_dates_with_details_and_saves_nothing(cells, personas, api):
    bad = LIST | {"rows": [{"name": "A", "submitted": "32/01/2020"}, {"name": "A"}]}
    response = api(personas.manager).post("activities/pledges", bad)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_rows"
    assert [(d["row"], d["column"]) for d in error["details"]] == [(1, "submitted"), (2, "name")]
    response = api(personas.manager).post("activities/pledges", LIST | {"deadline": "2021-01-05"})
    assert response.json()["error"]["code"] == "invalid_deadline"
    assert not PledgeList.objects.exists() and not Person.objects.exists()


def _upload(user, name, data, **fields):
    from trienkhai.accounts.services import issue_token

    client = Client(headers={"Authorization": f"Bearer {issue_token(user=user)}"})
    form = {"unit": "CB1", "year": "2020", "deadline": "15/04/2020"} | fields
    return client.post(
        "/api/v1/activities/pledges", form | {"file": SimpleUploadedFile(name, data)}
    )


def test_the_api_reads_a_list_from_csv_and_xlsx(cells, personas):
    from openpyxl import Workbook

    csv = "STT,Họ và tên,Chức vụ,Ngày nộp\n1,Nguyễn Văn An,Bí thư,10/03/2020\n2,Lê Thị Bình,,\n"
    response = _upload(personas.manager, "dang-ky.csv", csv.encode())
    assert response.status_code == 200, response.content
    assert (response.json()["expected"], response.json()["on_time"]) == (2, 1)
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Đơn vị", "Ngày nộp"])
    sheet.append(["Lê Thị Bình", "CB1", dt.datetime(2020, 4, 2)])
    sheet.append(["Trần Cường", "CB1", dt.datetime(2020, 4, 16)])
    data = io.BytesIO()
    book.save(data)
    response = _upload(personas.manager, "dang-ky.xlsx", data.getvalue(), deadline="")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["added"], body["changed"], body["expected"], body["on_time"], body["late"]) == (
        1,
        1,
        3,
        2,
        1,
    )


def test_the_api_refuses_bad_files_and_saves_nothing(cells, personas):
    manager = personas.manager
    response = _upload(manager, "dang-ky.xlsx", b"PK\x03\x04 not a workbook")
    assert response.status_code == 400
    response = _upload(manager, "dang-ky.csv", b"Chi bo,Ghi chu\nCB1,x\n")
    assert response.json()["error"]["code"] == "missing_columns"
    wrong_unit = "Họ và tên,Đơn vị,Ngày nộp\nNguyễn Văn An,CB1,10/03/2020\n\nLê Thị Bình,CB2,\n"
    response = _upload(manager, "dang-ky.csv", wrong_unit.encode())
    assert response.status_code == 400
    # Named by its row in the file: the heading is row 1, the blank row 3.
    assert [(d["row"], d["column"]) for d in response.json()["error"]["details"]] == [(4, "unit")]
    bad_dates = "Họ và tên,Ngày nộp\nNguyễn Văn An,2020-13-01\nLê Thị Bình,ngày 5\n"
    response = _upload(manager, "dang-ky.csv", bad_dates.encode())
    assert [(d["row"], d["column"]) for d in response.json()["error"]["details"]] == [
        (2, "submitted"),
        (3, "submitted"),
    ]
    response = _upload(manager, "dang-ky.csv", b"name\nA\n", year="hai nghin")
    assert response.json()["error"]["code"] == "invalid_fields"
    assert not PledgeList.objects.exists() and not Pledge.objects.exists()
    assert not Person.objects.exists()
