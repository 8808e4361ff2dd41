"""The API of compulsory cells and of the review: forms, submissions, review, marks."""

import pytest

from trienkhai.reporting.models import CellMark, FormIndicator, Submission

VALUES = [
    {"indicator": "lop_ke_hoach", "value": "4"},
    {"indicator": "lop_da_mo", "value": "3"},
    {"indicator": "luot_nguoi", "value": "20.673"},
    {"indicator": "luot_nguoi_doi_tuong", "option": "dang_vien", "value": "20.000"},
    {"indicator": "luot_nguoi_doi_tuong", "option": "nhan_dan", "value": "673"},
]
SUBMIT = {"form": "HK", "unit": "C1", "period": "2020S1"}


def post_values(client, values=VALUES):
    return client.post(
        "datavalues", {"form": "HK", "unit": "C1", "period": "2020S1", "values": values}
    )


@pytest.fixture
def submitted(form, cell_reporter, api):
    client = api(cell_reporter)
    assert post_values(client).status_code == 200
    response = client.post("submissions", SUBMIT)
    assert response.status_code == 200, response.content
    return response.json()["id"]


def test_it_creates_and_lists_forms_with_compulsory_indicators(form, personas, api):
    client = api(personas.manager)
    response = client.post(
        "forms",
        {
            "code": "QUY",
            "name": "Báo cáo quý",
            "period_type": "quarterly",
            "indicators": ["lop_ke_hoach", "lop_da_mo"],
            "units": ["C1"],
            "compulsory": ["lop_da_mo"],
            "complete_only_if_valid": False,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["compulsory"] == ["lop_da_mo"]
    assert response.json()["complete_only_if_valid"] is False
    listed = {f["code"]: f for f in client.get("forms").json()}
    assert listed["QUY"]["compulsory"] == ["lop_da_mo"]
    assert listed["HK"] == {**listed["HK"], "compulsory": [], "complete_only_if_valid": True}


@pytest.mark.parametrize("wrong", [["binh_quan_lop"], ["ghi_chu_khac"], ["lop_ke_hoach"]])
def test_it_refuses_compulsory_codes_the_form_does_not_enter(form, personas, api, wrong):
    response = api(personas.manager).post(
        "forms",
        {
            "code": "QUY",
            "name": "Báo cáo quý",
            "period_type": "quarterly",
            "indicators": ["lop_da_mo", "binh_quan_lop"],
            "units": ["C1"],
            "compulsory": wrong,
        },
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] in {"invalid_compulsory", "unknown_indicator"}
    assert not FormIndicator.objects.filter(form__code="QUY").exists()


def test_it_refuses_a_submission_with_an_empty_compulsory_cell_naming_the_cells(
    form, cell_reporter, api
):
    FormIndicator.objects.filter(indicator__code__in=["ghi_chu", "lop_da_mo"]).update(
        is_compulsory=True
    )
    client = api(cell_reporter)
    post_values(client)
    response = client.post("submissions", SUBMIT)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "compulsory_empty"
    assert "Ghi chú (ghi_chu)" in error["message"]
    assert [(d["indicator"], d["name"]) for d in error["details"]] == [("ghi_chu", "Ghi chú")]
    assert Submission.objects.get().status == "draft"


def test_it_takes_the_submitters_confirmation_of_failed_rules(form, cell_reporter, api):
    form.complete_only_if_valid = False
    form.save()
    client = api(cell_reporter)
    post_values(client, [*VALUES[:1], {"indicator": "lop_da_mo", "value": "5"}, *VALUES[2:]])
    refused = client.post("submissions", SUBMIT)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "confirmation_required"
    response = client.post("submissions", {**SUBMIT, "comment": "Mở thêm lớp theo chỉ đạo"})
    assert response.status_code == 200
    assert response.json()["submit_comment"] == "Mở thêm lớp theo chỉ đạo"


def test_it_answers_the_review_to_the_approver(form, cell_reporter, personas, api, submitted):
    FormIndicator.objects.filter(indicator__code="ghi_chu").update(is_compulsory=True)
    response = api(personas.manager).get(f"submissions/{submitted}/review")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["submission"]["status"] == "submitted"
    assert body["since"] is None
    change = next(c for c in body["changes"] if c["indicator"] == "luot_nguoi")
    assert (change["old"], change["new"], change["by"]) == ("", "20.673", "bcv")
    assert [c["indicator"] for c in body["empty_compulsory"]] == ["ghi_chu"]
    assert body["failed_rules"] == [] and body["marks"] == [] and body["outliers"] == []
    assert {"empty", "invalid", "submit_comment"} <= set(body)


def test_it_returns_with_marked_cells_and_lists_them(form, cell_reporter, personas, api, submitted):
    manager = api(personas.manager)
    response = manager.post(
        f"submissions/{submitted}/return",
        {
            "comment": "Kiểm tra lại",
            "cells": [{"indicator": "lop_da_mo", "note": "Lệch sổ"}, {"indicator": "luot_nguoi"}],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
    reporter = api(cell_reporter)
    post_values(reporter, [{"indicator": "lop_da_mo", "value": "2"}])
    # "luot_nguoi" was marked too and is as it was: refused until the reporter says why.
    refused = reporter.post("submissions", SUBMIT)
    assert refused.status_code == 400, refused.content
    error = refused.json()["error"]
    assert error["code"] == "marks_untouched"
    assert [d["indicator"] for d in error["details"]] == ["luot_nguoi"]
    assert Submission.objects.get().status == "returned"
    kept = reporter.post("submissions", {**SUBMIT, "keep_marked": "Đúng theo sổ điểm danh"})
    assert kept.status_code == 200, kept.content
    assert "Đúng theo sổ điểm danh" in kept.json()["submit_comment"]
    body = manager.get(f"submissions/{submitted}/review").json()
    assert body["since"] is not None
    assert [(c["indicator"], c["old"], c["new"]) for c in body["changes"]] == [
        ("lop_da_mo", "3", "2")
    ]
    marks = {m["indicator"]: m for m in body["marks"]}
    assert marks["lop_da_mo"]["note"] == "Lệch sổ" and marks["lop_da_mo"]["kind"] == "fix"
    assert marks["lop_da_mo"]["resolved"] is not None  # answered by the resubmission


def test_it_refuses_a_return_marking_unknown_cells_and_changes_nothing(
    form, personas, api, submitted
):
    response = api(personas.manager).post(
        f"submissions/{submitted}/return",
        {"comment": "Sửa", "cells": [{"indicator": "lop_da_mo", "option": "nu"}]},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cells"
    assert Submission.objects.get().status == "submitted"
    assert not CellMark.objects.exists()


def test_it_marks_a_value_for_follow_up(form, personas, api, submitted):
    response = api(personas.manager).post(
        f"submissions/{submitted}/follow-up",
        {"cells": [{"indicator": "luot_nguoi", "note": "Đối chiếu"}]},
    )
    assert response.status_code == 201, response.content
    mark = CellMark.objects.get()
    assert (mark.kind, mark.note, mark.created_by) == ("follow_up", "Đối chiếu", personas.manager)


def test_it_keeps_the_review_and_marks_to_approvers(form, cell_reporter, personas, api, submitted):
    for user in (personas.outsider, cell_reporter, personas.viewer):
        client = api(user)
        assert client.get(f"submissions/{submitted}/review").status_code == 403
        follow = client.post(f"submissions/{submitted}/follow-up", {"cells": [{"indicator": "x"}]})
        assert follow.status_code == 403
        returned = client.post(
            f"submissions/{submitted}/return",
            {"comment": "x", "cells": [{"indicator": "lop_da_mo"}]},
        )
        assert returned.status_code == 403
    assert api().get(f"submissions/{submitted}/review").status_code == 401
    assert api().post(f"submissions/{submitted}/follow-up", {"cells": []}).status_code == 401
    assert api(personas.manager).get("submissions/999999/review").status_code == 404
    assert not CellMark.objects.exists()


def test_it_refuses_the_wrong_method_on_the_review(form, personas, api, submitted):
    manager = api(personas.manager)
    assert manager.post(f"submissions/{submitted}/review").status_code == 405
    assert manager.get(f"submissions/{submitted}/follow-up").status_code == 405
