"""Nominations, their review and awards; one achievement, one commendation, enforced by
the database (decision 0054)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.commendations.conftest import ACHIEVEMENT, awarded, nominate
from tests.documents.test_attachments import png_file
from tests.factories import SYSTEM
from trienkhai.commendations import services
from trienkhai.commendations.models import Individual, Kind, Nomination, achievement_digest
from trienkhai.common.errors import BadInput, Conflict


def test_it_seeds_the_common_kinds_with_their_levels(db):
    kinds = {k.code: k for k in Kind.objects.all()}
    assert kinds["bang_khen_btv_tinh_uy"].name == "Bằng khen của Ban Thường vụ Tỉnh ủy"
    assert kinds["bang_khen_btv_tinh_uy"].level == "province"
    assert kinds["giay_khen_ban_dang"].level == "agency"
    assert kinds["bang_khen_thu_tuong"].level == "state"
    assert not kinds["chien_si_thi_dua_co_so"].admits(individual=False)
    assert not kinds["co_thi_dua_tinh"].admits(individual=True)


def test_it_takes_the_same_words_without_marks_as_the_same_achievement(db):
    assert achievement_digest(ACHIEVEMENT) == achievement_digest(
        "  hoan thanh XUAT SAC  nhiem vu tuyen giao giai doan 2019-2023. "
    )
    assert achievement_digest(ACHIEVEMENT) != achievement_digest("Hoàn thành tốt nhiệm vụ")


def test_it_refuses_a_second_commendation_for_one_achievement(org):
    first = nominate(org.c1, org.p1)
    with pytest.raises(Conflict) as refused:
        # Another kind (a Giấy khen) for the same achievement is refused too.
        nominate(org.c1, org.d1, kind="giay_khen_ban_dang", achievement=ACHIEVEMENT.upper())
    assert refused.value.code == "duplicate_achievement"
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh 2023" in refused.value.message
    # Another recipient, another year or another achievement are other commendations.
    nominate(org.c2, org.p1)
    nominate(org.c1, org.p1, year=2022)
    nominate(org.c1, org.p1, achievement="Dẫn đầu phong trào thi đua năm 2023")
    assert Nomination.objects.count() == 4
    # Refused, the achievement is free again.
    services.refuse(acting_user=SYSTEM, nomination=first, reason="Chưa đủ tiêu chuẩn")
    nominate(org.c1, org.p1)


def test_it_finds_the_same_person_by_name_and_refuses_their_second_nomination(org):
    nominate(org.c1, org.p1, name="Nguyễn Văn An")
    with pytest.raises(Conflict):
        nominate(org.c1, org.p1, name="nguyen van an")
    # The same name in another unit is another person; the collective is another recipient.
    nominate(org.c2, org.p1, name="Nguyễn Văn An")
    nominate(org.c1, org.p1)
    assert Individual.objects.count() == 2


def test_the_database_refuses_a_second_nomination_the_service_did_not_see(org):
    """GIVEN a nomination WHEN a row for the same (recipient, year, achievement) is
    written past the service THEN the unique index refuses it, for collectives and people."""
    first = nominate(org.c1, org.p1)
    person = nominate(org.c1, org.p1, name="Lê Thị Bình")
    for model in (first, person):
        copy = Nomination.objects.get(pk=model.pk)
        copy.pk = None
        copy.kind = Kind.objects.get(code="giay_khen_ban_dang")
        with pytest.raises(IntegrityError), transaction.atomic():
            copy.save()
    refused = Nomination.objects.get(pk=first.pk)
    refused.pk, refused.status = None, Nomination.Status.REFUSED
    refused.save()  # a refused nomination holds no key


def test_it_refuses_bad_input_and_changes_nothing(org):
    with pytest.raises(BadInput, match="không thuộc phạm vi"):
        nominate(org.d2, org.p1)  # D2 is in another province
    with pytest.raises(BadInput, match="Chưa ghi thành tích"):
        nominate(org.c1, org.p1, achievement="  \n ")
    with pytest.raises(BadInput, match="Năm phải từ"):
        nominate(org.c1, org.p1, year=3000)
    with pytest.raises(BadInput, match="không tặng cho tập thể"):
        nominate(org.c1, org.p1, kind="chien_si_thi_dua_co_so")
    assert not Nomination.objects.exists()


def test_an_agency_commends_within_the_committee_it_serves(org):
    """GIVEN a Propaganda Board under D1 THEN its Giấy khen reaches D1's communes (the
    committee it serves), while a Bằng khen of C1 does not reach C2."""
    from tests import factories as f

    board = f.make_unit("BTG", name="Ban Tuyên giáo", kind_code="board", parent=org.d1)
    nominate(org.c2, board, kind="giay_khen_ban_dang")
    with pytest.raises(BadInput, match="không thuộc phạm vi"):
        nominate(org.d2, board, kind="giay_khen_ban_dang")
    with pytest.raises(BadInput, match="không thuộc phạm vi"):
        nominate(org.c2, org.c1, kind="bang_khen_btv_tinh_uy")


def test_it_goes_through_return_resubmit_accept_and_award(org):
    nomination = nominate(org.c1, org.p1)
    with pytest.raises(BadInput, match="Cần ghi lý do"):
        services.return_for_correction(acting_user=SYSTEM, nomination=nomination, reason=" ")
    services.return_for_correction(
        acting_user=SYSTEM, nomination=nomination, reason="Thiếu biên bản họp hội đồng"
    )
    with pytest.raises(Conflict):  # a returned nomination is corrected first
        services.accept(acting_user=SYSTEM, nomination=nomination)
    services.resubmit(
        acting_user=SYSTEM, nomination=nomination, achievement="Hoàn thành xuất sắc nhiệm vụ 2023"
    )
    nomination.refresh_from_db()
    assert nomination.status == "resubmitted"
    assert nomination.achievement_key == achievement_digest("Hoàn thành xuất sắc nhiệm vụ 2023")
    with pytest.raises(Conflict):  # not accepted yet
        services.award(acting_user=SYSTEM, nomination=nomination, decided_on=dt.date(2023, 12, 1))
    services.accept(acting_user=SYSTEM, nomination=nomination)
    award = services.award(
        acting_user=SYSTEM,
        nomination=nomination,
        decided_on=dt.date(2023, 12, 20),
        decision_number="1234-QĐ/TU",
    )
    nomination.refresh_from_db()
    assert (nomination.status, award.decision_number) == ("awarded", "1234-QĐ/TU")
    assert [h.status for h in nomination.history.order_by("history_date")] == [
        "submitted",
        "returned",
        "resubmitted",
        "accepted",
        "awarded",
    ]
    with pytest.raises(Conflict):  # an awarded nomination is not refused
        services.refuse(acting_user=SYSTEM, nomination=nomination, reason="x")


def test_it_refuses_a_correction_onto_another_nominations_achievement(org):
    nominate(org.c1, org.p1, achievement="Thành tích A")
    second = nominate(org.c1, org.p1, achievement="Thành tích B")
    services.return_for_correction(acting_user=SYSTEM, nomination=second, reason="Sửa")
    with pytest.raises(Conflict):
        services.resubmit(acting_user=SYSTEM, nomination=second, achievement="thanh tich a")
    assert Nomination.objects.get(pk=second.pk).achievement == "Thành tích B"


def test_it_keeps_the_dossier_named_by_digest(org, media):
    nomination = nominate(org.c1, org.p1)
    added = services.add_file(
        acting_user=SYSTEM,
        nomination=nomination,
        role="to_trinh",
        file_name="tt.png",
        data=png_file(3),
    )
    assert added.path.endswith(added.sha256) and (media / added.path).is_file()
    with pytest.raises(Conflict):
        services.add_file(
            acting_user=SYSTEM,
            nomination=nomination,
            role="khac",
            file_name="b.png",
            data=png_file(3),
        )
    with pytest.raises(BadInput):
        services.add_file(
            acting_user=SYSTEM,
            nomination=nomination,
            role="to_trinh",
            file_name="x.pdf",
            data=b"not a pdf",
        )
    with pytest.raises(BadInput, match="Loại hồ sơ"):
        services.add_file(
            acting_user=SYSTEM,
            nomination=nomination,
            role="thu",
            file_name="c.png",
            data=png_file(4),
        )
    assert nomination.files.count() == 1


def test_it_erases_a_person_and_keeps_the_award(org):
    nomination = awarded(org.c1, org.p1, name="Nguyễn Văn An")
    person = nomination.individual
    services.erase_individual(acting_user=SYSTEM, individual=person)
    person.refresh_from_db()
    assert (person.name, person.name_key) == ("—", "")
    assert person.erased is not None
    assert Nomination.objects.get(pk=nomination.pk).status == "awarded"
    with pytest.raises(Conflict):
        services.erase_individual(acting_user=SYSTEM, individual=person)
    # The same name again is a new person (never matched to the erased one).
    again = nominate(org.c1, org.p1, name="Nguyễn Văn An")
    assert again.individual_id != person.pk
