"""/api/v1/commendations: the contract of issue 17, the review, the refused and the bad."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.commendations.conftest import awarded, nominate
from tests.documents.test_attachments import png_file
from tests.factories import SYSTEM
from trienkhai.commendations import services
from trienkhai.commendations.models import Award, DossierFile, Individual, Nomination

COLLECTIVE = {
    "kind": "bang_khen_ubnd_tinh",
    "giver": "P1",
    "year": 2023,
    "achievement": "Hoàn thành xuất sắc nhiệm vụ giai đoạn 2019-2023",
    "recipient_unit": "C1",
}
PERSON = COLLECTIVE | {"recipient_name": "Nguyễn Văn An"}


def test_it_nominates_and_refuses_the_same_achievement_again(org, personas, api):
    manager = api(personas.manager)
    first = manager.post("commendations/nominations", COLLECTIVE)
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "submitted"
    nomination = Nomination.objects.get(pk=first.json()["id"])
    assert nomination.created_by == nomination.history.get().history_user == personas.manager
    again = manager.post(
        "commendations/nominations",
        COLLECTIVE
        | {
            "kind": "giay_khen_ban_dang",
            "giver": "D1",
            "achievement": "hoan thanh xuat sac nhiem vu giai doan 2019-2023",
        },
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_achievement"
    assert manager.post("commendations/nominations", PERSON).status_code == 201
    assert manager.post("commendations/nominations", PERSON).status_code == 409
    assert Nomination.objects.count() == 2


def test_it_refuses_another_units_user_the_anonymous_and_the_viewer(org, personas, api):
    assert api(personas.outsider).post("commendations/nominations", COLLECTIVE).status_code == 403
    assert api(personas.viewer).post("commendations/nominations", COLLECTIVE).status_code == 403
    assert api().post("commendations/nominations", COLLECTIVE).status_code == 401
    assert api(personas.manager).delete("commendations/nominations").status_code == 405
    assert api(personas.outsider).get("commendations", unit="D1").status_code == 403
    assert not Nomination.objects.exists()


def test_it_answers_bad_input_with_a_400_in_both_languages(org, personas, api):
    manager = api(personas.manager)
    cases = {
        "invalid_kind": COLLECTIVE | {"kind": "huan_chuong_vang"},
        "invalid_giver": COLLECTIVE | {"giver": "ZZZ"},
        "invalid_achievement": COLLECTIVE | {"achievement": "   "},
        "invalid_year": COLLECTIVE | {"year": 2999},
        "invalid_recipient": COLLECTIVE | {"recipient_unit": None},
        "invalid_input": COLLECTIVE | {"year": "năm ngoái"},
    }
    for code, body in cases.items():
        response = manager.post("commendations/nominations", body)
        assert response.status_code == 400, (code, response.content)
        error = response.json()["error"]
        assert error["code"] == code
        assert " / " in error["message"]  # Vietnamese / English, as the whole API
    # D1's Giấy khen cannot go to D2's commune (outside the giver): 400, not 500.
    outside = COLLECTIVE | {"giver": "D2"}
    assert manager.post("commendations/nominations", outside).status_code == 400
    assert api(personas.manager).get("commendations", unit="D1", year="x").status_code == 400
    assert not Nomination.objects.exists()


def test_it_lists_what_was_awarded_in_a_subtree_with_names_by_role(org, personas, api):
    person = awarded(org.c1, org.p1, name="Nguyễn Văn An")
    awarded(org.c2, org.d1, kind="giay_khen_ban_dang")
    nominate(org.c2, org.p1, achievement="Chưa xét")  # not awarded: not listed
    awarded(org.d2, org.p2, achievement="Ở tỉnh khác")
    listed = api(personas.manager).get("commendations", unit="D1", year=2023)
    assert listed.status_code == 200
    rows = listed.json()
    assert [(r["recipient_unit"], r["kind"]) for r in rows] == [
        ("C1", "bang_khen_ubnd_tinh"),
        ("C2", "giay_khen_ban_dang"),
    ]
    assert rows[0]["recipient_name"] == "Nguyễn Văn An"
    assert rows[0]["individual"] == person.individual_id
    assert rows[0]["award"]["decided_on"] == "2023-12-20"
    # A viewer sees the award, not the person's name (decision 0040).
    seen = api(personas.viewer).get("commendations", unit="D1").json()
    assert seen[0]["is_individual"] and "recipient_name" not in seen[0]
    assert "individual" not in seen[0]
    assert api(personas.manager).get("commendations", unit="D1", year=2022).json() == []


def test_the_givers_manager_returns_accepts_and_awards(org, personas, api):
    province = province_manager(org)
    nomination = nominate(org.c1, org.p1)
    url = f"commendations/nominations/{nomination.pk}"
    # The district's manager nominates but does not review the province's Bằng khen.
    assert api(personas.manager).post(f"{url}/accept").status_code == 403
    assert api(province).post(f"{url}/return", {"reason": ""}).status_code == 400
    returned = api(province).post(f"{url}/return", {"reason": "Thiếu biên bản họp hội đồng"})
    assert returned.json() == {"id": nomination.pk, "status": "returned"}
    detail = api(personas.manager).get(url).json()
    assert (detail["status"], detail["reason"]) == ("returned", "Thiếu biên bản họp hội đồng")
    assert api(province).post(f"{url}/accept").status_code == 409  # not resubmitted yet
    resent = api(personas.manager).post(f"{url}/resubmit", {})
    assert resent.json()["status"] == "resubmitted"
    assert api(province).post(f"{url}/accept").json()["status"] == "accepted"
    bad_day = api(province).post(f"{url}/award", {"decided_on": "2020-01-01"})
    assert bad_day.status_code == 400
    done = api(province).post(
        f"{url}/award", {"decided_on": "2023-12-20", "decision_number": "12-QĐ/TU"}
    )
    assert done.json()["status"] == "awarded"
    assert Award.objects.get().decision_number == "12-QĐ/TU"
    assert api(province).post(f"{url}/refuse", {"reason": "x"}).status_code == 409


def province_manager(org):
    from tests import factories as f

    return f.make_user("province_manager", unit=org.p1, role="manager")


def test_it_adds_dossier_files_and_refuses_a_bad_one(org, personas, api, media):
    nomination = nominate(org.c1, org.p1)
    client = api(personas.manager)
    url = f"/api/v1/commendations/nominations/{nomination.pk}/files"

    def send(data, name="tt.png", role="to_trinh", user=client):
        upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
        return user.client.post(url, data={"file": upload, "role": role}, headers=user.headers)

    added = send(png_file(5))
    assert added.status_code == 201, added.content
    assert send(png_file(5), role="khac").status_code == 409
    assert send(b"%PDF-broken", name="bc.pdf").status_code == 400
    assert send(png_file(6), role="giay_moi").status_code == 400
    assert send(png_file(6), user=api(personas.outsider)).status_code == 403
    assert [
        f["role"] for f in client.get(f"commendations/nominations/{nomination.pk}").json()["files"]
    ] == ["to_trinh"]


def test_it_erases_a_person_for_whoever_may_change_their_unit(org, personas, api):
    person = awarded(org.c1, org.p1, name="Nguyễn Văn An").individual
    url = f"commendations/people/{person.pk}/erase"
    assert api(personas.viewer).post(url).status_code == 403
    assert api(personas.outsider).post(url).status_code == 403
    erased = api(personas.manager).post(url)
    assert erased.status_code == 200, erased.content
    assert Individual.objects.get(pk=person.pk).name == "—"
    assert api(personas.manager).post(url).status_code == 409
    listed = api(personas.manager).get("commendations", unit="D1").json()
    assert listed[0]["recipient_name"] == "—"  # the award stays, the name is gone


def test_it_lists_the_kinds(org, personas, api):
    kinds = api(personas.viewer).get("commendations/kinds").json()
    assert {"code": "giay_khen_ban_dang", "level": "agency"}.items() <= next(
        k for k in kinds if k["code"] == "giay_khen_ban_dang"
    ).items()
    # Who gives each kind (decision 0057): the Party's, the State's, or either.
    profiles = {k["code"]: k["giver_profile"] for k in kinds}
    assert profiles["bang_khen_btv_tinh_uy"] == "party"
    assert profiles["giay_khen_ban_dang"] == ""
    assert profiles["bang_khen_ubnd_tinh"] == "state"
    assert api().get("commendations/kinds").status_code == 401
    assert api(personas.nobody).get("commendations/kinds").status_code == 403


def test_it_hides_a_nomination_from_another_units_user(org, personas, api):
    nomination = nominate(org.c1, org.p1, name="Lê Thị Bình")
    assert (
        api(personas.outsider).get(f"commendations/nominations/{nomination.pk}").status_code == 403
    )
    assert api(personas.manager).get("commendations/nominations/999999").status_code == 404
    services.refuse(acting_user=SYSTEM, nomination=nomination, reason="Chưa đủ tiêu chuẩn")
    assert (
        api(personas.viewer).get(f"commendations/nominations/{nomination.pk}").json()["status"]
        == "refused"
    )


def test_it_lists_the_givers_queue_with_names_for_its_review(org, personas, api):
    """GIVEN a Propaganda Board under P1 whose manager holds no role over D1 THEN its
    queue lists D1's people by name (the review needs them), and only to its managers."""
    from tests import factories as f

    board = f.make_unit("BTG", name="Ban Tuyên giáo", kind_code="board", parent=org.p1)
    reviewer = f.make_user("board_manager", unit=board, role="manager")
    first = nominate(org.c1, board, name="Nguyễn Văn An", kind="giay_khen_ban_dang")
    second = nominate(org.c2, board, kind="giay_khen_ban_dang")
    services.accept(acting_user=SYSTEM, nomination=second)
    nominate(org.c1, org.p1)  # another giver's
    queue = api(reviewer).get("commendations/nominations", giver="BTG")
    assert queue.status_code == 200, queue.content
    rows = queue.json()
    assert [r["id"] for r in rows] == [first.pk, second.pk]
    assert rows[0]["recipient_name"] == "Nguyễn Văn An"
    submitted = api(reviewer).get("commendations/nominations", giver="BTG", status="submitted")
    assert [r["id"] for r in submitted.json()] == [first.pk]
    bad = api(reviewer).get("commendations/nominations", giver="BTG", status="done")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_status"
    assert api(personas.manager).get("commendations/nominations", giver="BTG").status_code == 403
    assert api(personas.viewer).get("commendations/nominations", giver="D1").status_code == 403


def test_it_issues_the_decision_from_the_register_and_awards_what_it_names(
    org, personas, api, media
):
    """GIVEN two accepted nominations for D1's Giấy khen and one still submitted WHEN the
    manager issues the decision THEN it is numbered by D1's register and names both;
    naming the submitted one is a 409 and issues nothing."""
    from trienkhai.documents.models import Document

    accepted = [
        nominate(org.c1, org.d1, kind="giay_khen_ban_dang"),
        nominate(org.c2, org.d1, kind="giay_khen_ban_dang", name="Lê Thị Bình"),
    ]
    for nomination in accepted:
        services.accept(acting_user=SYSTEM, nomination=nomination)
    pending = nominate(org.c1, org.d1, kind="giay_khen_ban_dang", achievement="Khác")
    body = {
        "giver": "D1",
        "nominations": [n.pk for n in accepted],
        "date": "2023-09-19",
        "signer": "Lê Văn Ký",
        "signer_authority": "tm",
        "recipients": "Như Điều 2\nLưu Văn phòng",
    }
    refused = api(personas.manager).post(
        "commendations/decisions", body | {"nominations": [accepted[0].pk, pending.pk]}
    )
    assert refused.status_code == 409
    assert not Document.objects.exists() and not Award.objects.exists()
    assert api(personas.outsider).post("commendations/decisions", body).status_code == 403
    issued = api(personas.manager).post("commendations/decisions", body)
    assert issued.status_code == 201, issued.content
    document = Document.objects.get(pk=issued.json()["document"])
    assert document.status == "issued" and document.type.code == "QĐ"
    assert document.summary == "Về việc tặng thưởng cho 1 tập thể, 1 cá nhân"
    awards = Award.objects.filter(document=document)
    assert {a.nomination_id for a in awards} == {n.pk for n in accepted}
    assert {a.decision_number for a in awards} == {document.symbol} == {issued.json()["symbol"]}
    assert api(personas.manager).post("commendations/decisions", body).status_code == 409


def test_it_lists_a_subtrees_awards_in_a_few_queries(
    org, personas, api, django_assert_max_num_queries
):
    """Names are asked of the policy once per list, not once per row (and the units the
    user views, decision 0004, once: two queries; the days units ended, once)."""
    from tests import factories as f

    for i in range(3):
        cell = f.make_unit(f"CB{i}", name=f"Chi bộ {i}", kind_code="commune", parent=org.c1)
        awarded(cell, org.p1)
        awarded(cell, org.p1, name=f"Người thứ {i}")
    client = api(personas.manager)
    with django_assert_max_num_queries(11):
        rows = client.get("commendations", unit="D1", year=2023).json()
    assert len(rows) == 6
    assert sorted(r["recipient_name"] for r in rows if r["is_individual"]) == [
        "Người thứ 0",
        "Người thứ 1",
        "Người thứ 2",
    ]


def test_a_persons_dossier_is_for_who_reads_the_name_and_goes_with_it(
    org, personas, api, web, media
):
    """Review of 07/12/2026: a viewer of the unit read a person's tờ trình (the files
    needed only VIEW), and erasing the name left the files and their names."""
    nomination = nominate(org.c1, org.p1, name="Nguyễn Văn An")
    added = services.add_file(
        acting_user=SYSTEM,
        nomination=nomination,
        role="to_trinh",
        file_name="to-trinh-nguyen-van-an.png",
        data=png_file(7),
    )
    read = f"commendations/nominations/{nomination.pk}"
    assert api(personas.viewer).get(read).json()["files"] == []
    assert [f["name"] for f in api(personas.manager).get(read).json()["files"]] == [
        "to-trinh-nguyen-van-an.png"
    ]
    page = f"/khen-thuong/ho-so/{added.pk}/"
    assert web(personas.viewer).get(page).status_code == 403
    assert web(personas.manager).get(page).status_code == 200
    services.erase_individual(acting_user=SYSTEM, individual=nomination.individual)
    assert web(personas.manager).get(page).status_code == 404
    assert api(personas.manager).get(read).json()["files"] == []
    assert not DossierFile.history.filter(id=added.pk).exists()
    assert Award.objects.count() == 0 and Nomination.objects.filter(pk=nomination.pk).exists()
