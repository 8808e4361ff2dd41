"""Blind reading of entries and score sheets (decision 0053)."""

import io
import zipfile

import docx
import pytest

from tests import factories as f
from tests.contests.conftest import SYSTEM
from trienkhai.contests import pages, services
from trienkhai.contests.models import Assignment, Entry, Score


def word_file(author: str = "Nguyễn Văn A", company: str = "Huyện ủy Vĩnh Thuận") -> bytes:
    """A .docx whose properties name its author and office, with the author's tracked
    change in the text."""
    document = docx.Document()
    document.add_paragraph("Đảng bộ huyện qua 90 năm")
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/app.xml":
                content = content.replace(b"<Company/>", f"<Company>{company}</Company>".encode())
            if info.filename == "word/document.xml":
                content = content.replace(
                    b"</w:body>",
                    f'<w:p><w:ins w:id="1" w:author="{author}" w:date="2022-05-01T00:00:00Z">'
                    f"<w:r><w:t>Thêm</w:t></w:r></w:ins></w:p></w:body>".encode(),
                )
            target.writestr(info, content)
    return out.getvalue()


@pytest.fixture
def judging(org, personas, contest, media):
    """Round 1 of the contest (criterion Nội dung, weight 6, max 60, plus Hình thức,
    weight 4, max 40) with entries from C1 and C2 and judges gk1 (assigned to both), gk2
    (assigned to the first) and gk3 (none)."""
    from trienkhai.contests.models import Criterion

    Criterion.objects.create(contest=contest, name="Hình thức", weight=4, max=40)
    first, second = (
        services.receive_entry(
            acting_user=personas.manager,
            contest=contest,
            title=title,
            author_name=author,
            unit=unit,
            file_name=name,
            data=word_file(author, office),
        )
        for title, author, office, unit, name in [
            (
                "Đảng bộ huyện qua 90 năm",
                "Nguyễn Văn A",
                "Huyện ủy Vĩnh Thuận",
                org.c1,
                "NguyenVanA.docx",
            ),
            ("Bài thứ hai", "Trần Thị B", "Xã Vĩnh Bình Bắc", org.c2, "b.docx"),
        ]
    )
    round1 = contest.rounds.get(number=1)
    judges = {}
    for name in ("gk1", "gk2", "gk3"):
        judges[name] = services.add_judge(
            acting_user=SYSTEM, contest=contest, round=round1, user=f.make_user(name)
        )
    for judge, entry in [("gk1", first), ("gk1", second), ("gk2", first)]:
        Assignment.objects.create(round=round1, entry=entry, judge=judges[judge])
    return {"contest": contest, "round": round1, "entries": (first, second), "judges": judges}


def user(name):
    from trienkhai.accounts.models import User

    return User.objects.get(username=name)


def url(judging, entry, tail=""):
    return f"contests/{judging['contest'].pk}/entries/{entry.pk}{tail}"


def test_it_shows_an_assigned_judge_the_entry_without_its_author(judging, api):
    first, _ = judging["entries"]
    response = api(user("gk2")).get(url(judging, first))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "id": first.pk,
        "title": "Đảng bộ huyện qua 90 năm",
        "kind": "docx",
        "rounds": [{"number": 1, "name": "Sơ khảo", "pile_number": 1}],  # gk2's only one
        "file": f"/api/v1/contests/{judging['contest'].pk}/entries/{first.pk}/file",
    }
    assert "Nguyễn" not in response.content.decode() and "C1" not in response.content.decode()


def test_it_shows_a_judge_the_entrys_category(judging, api):
    """A category says nothing of the author: the judge reads it (decision 0056)."""
    from trienkhai.contests.models import Category

    first, _ = judging["entries"]
    first.category = Category.objects.create(contest=judging["contest"], name="Chính luận")
    first.save(update_fields=["category"])
    body = api(user("gk2")).get(url(judging, first)).json()
    assert body["category"] == "Chính luận"
    assert "author_name" not in body and "unit" not in body


def test_it_refuses_a_judge_an_entry_not_assigned_to_them(judging, api):
    first, second = judging["entries"]
    gk2, gk3 = api(user("gk2")), api(user("gk3"))
    assert gk2.get(url(judging, second)).status_code == 403
    assert gk2.get(url(judging, second, "/file")).status_code == 403
    assert gk3.get(url(judging, first)).status_code == 403
    assert gk2.get(f"contests/{judging['contest'].pk}/entries/999999").status_code == 403


def test_it_refuses_a_judge_the_author_of_any_entry(judging, api):
    first, second = judging["entries"]
    for name in ("gk1", "gk2", "gk3"):
        judge = api(user(name))
        for entry in (first, second):
            assert judge.get(url(judging, entry, "/author")).status_code == 403
            assert judge.get(url(judging, entry, "/original")).status_code == 403


def test_it_keeps_a_judge_blind_even_when_they_manage_the_organiser(judging, api, personas):
    """GIVEN the district's manager named a judge and assigned the first entry
    WHEN they read it THEN they get the anonymous entry and 403 for its author."""
    first, _ = judging["entries"]
    judge = services.add_judge(
        acting_user=SYSTEM,
        contest=judging["contest"],
        round=judging["round"],
        user=personas.manager,
    )
    Assignment.objects.create(round=judging["round"], entry=first, judge=judge)
    manager = api(personas.manager)
    assert "author_name" not in manager.get(url(judging, first)).json()
    assert manager.get(url(judging, first, "/author")).status_code == 403


def test_it_shows_the_organiser_everything(judging, api, personas):
    first, _ = judging["entries"]
    manager = api(personas.manager)
    body = manager.get(url(judging, first)).json()
    assert body["author_name"] == "Nguyễn Văn A" and body["unit"] == "C1"
    assert body["receipt"] == "001/2022" and body["received_by"] == "manager"
    author = manager.get(url(judging, first, "/author")).json()
    assert author == {
        "author_name": "Nguyễn Văn A",
        "unit": "C1",
        "received_by": "manager",
        "receipt": "001/2022",
    }
    original = manager.get(url(judging, first, "/original"))
    assert original.status_code == 200
    assert b"".join(original) == open_stored(first)  # the file as received
    assert 'filename="NguyenVanA.docx"' in original["Content-Disposition"]


def open_stored(entry: Entry) -> bytes:
    from django.conf import settings

    return (settings.MEDIA_ROOT / entry.path).read_bytes()


def test_it_gives_the_judge_a_copy_without_the_authors_name_or_office(judging, api):
    first, _ = judging["entries"]
    response = api(user("gk1")).get(url(judging, first, "/file"))
    assert response.status_code == 200
    number = pages.number_in_pile(user("gk1"), judging["round"], first.pk)
    assert f'filename="bai-du-thi-{number}.docx"' in response["Content-Disposition"]
    copy = b"".join(response)
    parts = zipfile.ZipFile(io.BytesIO(copy))
    metadata = b"".join(
        parts.read(n) for n in ("docProps/core.xml", "docProps/app.xml", "word/document.xml")
    ).decode()
    assert "Nguyễn Văn A" not in metadata and "Huyện ủy" not in metadata
    opened = docx.Document(io.BytesIO(copy))
    assert opened.core_properties.author == "" and opened.paragraphs[0].text.startswith("Đảng")
    original = zipfile.ZipFile(io.BytesIO(open_stored(first)))
    assert "Nguyễn Văn A".encode() in original.read("docProps/core.xml")  # kept as received


def test_it_refuses_entries_to_a_user_of_another_unit(judging, api, personas):
    first, _ = judging["entries"]
    outsider = api(personas.outsider)
    for tail in ("", "/file", "/author", "/original"):
        assert outsider.get(url(judging, first, tail)).status_code == 403
    assert api().get(url(judging, first)).status_code == 401
    assert api(personas.viewer).get(url(judging, first)).status_code == 403


SHEET = {"Nội dung": 50, "Hình thức": 32.5}


def scores_url(judging, number=1):
    return f"contests/{judging['contest'].pk}/rounds/{number}/scores"


def test_it_records_a_judges_sheet_and_replaces_it_keeping_history(judging, api):
    first, _ = judging["entries"]
    gk1 = api(user("gk1"))
    response = gk1.post(scores_url(judging), {"entry": first.pk, "scores": SHEET})
    assert response.status_code == 200, response.content
    assert response.json() == {"entry": first.pk, "total": 430.0}  # 6×50 + 4×32,5
    again = gk1.post(scores_url(judging), {"entry": first.pk, "scores": {**SHEET, "Nội dung": 40}})
    assert again.json()["total"] == 370.0
    sheet = Score.objects.get()
    assert sheet.values == {"Nội dung": "40", "Hình thức": "32.5"}
    assert [h.total for h in sheet.history.order_by("history_date")] == [430, 370]
    assert sheet.history.first().history_user == user("gk1")


@pytest.mark.parametrize(
    "scores, problem",
    [
        ({"Nội dung": 50}, "Hình thức: chưa có điểm / no score"),
        ({**SHEET, "Sáng tạo": 5}, "Sáng tạo: không có trong thang điểm"),
        ({**SHEET, "Nội dung": 60.5}, "Nội dung: từ 0 đến 60 / from 0 to 60"),
        ({**SHEET, "Hình thức": -1}, "Hình thức: từ 0 đến 40"),
        ({**SHEET, "Nội dung": "50"}, "Nội dung: phải là một số / must be a number"),
        ({**SHEET, "Nội dung": True}, "Nội dung: phải là một số"),
        ({**SHEET, "Nội dung": None}, "Nội dung: chưa có điểm"),
        ({**SHEET, "Nội dung": 7.125}, "tối đa 2 chữ số thập phân / at most 2 decimals"),
    ],
)
def test_it_refuses_a_bad_sheet_naming_the_criterion(judging, api, scores, problem):
    first, _ = judging["entries"]
    response = api(user("gk1")).post(scores_url(judging), {"entry": first.pk, "scores": scores})
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_scores" and problem in error["message"], error
    assert error["message"].startswith("Điểm không hợp lệ / invalid scores: ")
    assert not Score.objects.exists()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_it_refuses_scores_that_are_not_finite(judging, api, literal):
    """JSON has no NaN, but Python's parser reads these; 1e999 reads as infinity."""
    first, _ = judging["entries"]
    client = api(user("gk1"))
    body = f'{{"entry": {first.pk}, "scores": {{"Nội dung": {literal}, "Hình thức": 1}}}}'
    response = client.client.post(
        f"/api/v1/{scores_url(judging)}",
        data=body.encode(),
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code == 400, response.content
    assert "Nội dung: phải là một số / must be a number" in response.json()["error"]["message"]
    assert not Score.objects.exists()


def test_it_refuses_a_sheet_from_a_judge_the_entry_is_not_assigned_to(judging, api, personas):
    _, second = judging["entries"]
    body = {"entry": second.pk, "scores": SHEET}
    assert api(user("gk2")).post(scores_url(judging), body).status_code == 403
    assert api(user("gk3")).post(scores_url(judging), body).status_code == 403
    assert api(user("gk1")).post(scores_url(judging, 2), body).status_code == 403  # round 2
    assert api(personas.manager).post(scores_url(judging), body).status_code == 403
    assert api(personas.outsider).post(scores_url(judging), body).status_code == 403
    assert api().post(scores_url(judging), body).status_code == 401
    missing = {"entry": 999999, "scores": SHEET}
    assert api(user("gk1")).post(scores_url(judging), missing).status_code == 403
    assert not Score.objects.exists()


def test_it_refuses_sheets_once_the_round_is_closed(judging, api, personas):
    first, _ = judging["entries"]
    gk1, manager = api(user("gk1")), api(personas.manager)
    assert gk1.post(scores_url(judging), {"entry": first.pk, "scores": SHEET}).status_code == 200
    close = f"contests/{judging['contest'].pk}/rounds/1/close"
    assert gk1.post(close).status_code == 403  # judges do not close rounds
    assert api(personas.outsider).post(close).status_code == 403
    closed = manager.post(close)
    assert closed.status_code == 200, closed.content
    assert closed.json()["round"] == 1
    late = gk1.post(scores_url(judging), {"entry": first.pk, "scores": {**SHEET, "Nội dung": 1}})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "round_closed"
    assert Score.objects.get().values["Nội dung"] == "50"
    assert manager.post(close).status_code == 409
    judging["round"].refresh_from_db()
    assert judging["round"].closed_by == personas.manager


def protected_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    from trienkhai.documents.signing import specimens

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(specimens.text_pdf(1))))
    writer.add_metadata({"/Author": "Nguyen Van A"})
    writer.encrypt(user_password, owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_it_opens_a_pdf_locked_only_against_editing(org, contest, media):
    from pypdf import PdfReader

    from trienkhai.contests import anonymise

    copy = anonymise.anonymous_copy("pdf", protected_pdf(""))
    reader = PdfReader(io.BytesIO(copy))
    assert not reader.is_encrypted and reader.metadata is None and len(reader.pages) == 1


def test_it_refuses_a_file_it_cannot_make_anonymous_and_stores_nothing(org, contest, media):
    from trienkhai.common.errors import BadInput

    with pytest.raises(BadInput):
        services.receive_entry(
            acting_user=SYSTEM,
            contest=contest,
            title="Bài",
            author_name="A",
            unit=org.c1,
            file_name="a.pdf",
            data=protected_pdf("mat-khau"),
        )
    assert not Entry.objects.exists()
    assert not media.exists() or not any(media.rglob("*"))


def test_it_ranks_the_round_for_the_organiser_only(
    judging, api, personas, django_assert_num_queries
):
    """GIVEN gk1 scored both entries and gk2 the first WHEN the organiser asks for the
    ranking THEN both entries are ranked with raw, normalised and z-score, and judges,
    viewers and other units are refused."""
    first, second = judging["entries"]
    gk1, gk2 = api(user("gk1")), api(user("gk2"))
    gk1.post(scores_url(judging), {"entry": first.pk, "scores": SHEET})  # 430
    gk1.post(scores_url(judging), {"entry": second.pk, "scores": {"Nội dung": 30, "Hình thức": 20}})
    gk2.post(scores_url(judging), {"entry": first.pk, "scores": {"Nội dung": 40, "Hình thức": 30}})
    where = f"contests/{judging['contest'].pk}/rounds/1/ranking"
    response = api(personas.manager).get(where)
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [(r["entry"], r["rank"], r["receipt"]) for r in rows] == [
        (first.pk, 1, "001/2022"),
        (second.pk, 2, "002/2022"),
    ]
    assert rows[0]["raw"] == 395.0 and rows[0]["sheets"] == rows[0]["judges"] == 2  # (430+360)/2
    assert rows[1]["raw"] == 260.0 and rows[1]["judges"] == 1
    assert {"normalised", "z_score", "spread", "disagreement", "lowest"} <= set(rows[0])
    assert "author_name" not in response.content.decode()
    for refused in (gk1, api(personas.viewer), api(personas.outsider)):
        assert refused.get(where).status_code == 403
    assert api().get(where).status_code == 401
    assert api(personas.manager).get(where.replace("/1/", "/9/")).status_code == 404
    from trienkhai.contests import ranking

    with django_assert_num_queries(2):
        ranking.of_round(judging["round"])


def test_it_keeps_the_assignments_once_scoring_started(judging, api, personas):
    first, _ = judging["entries"]
    api(user("gk1")).post(scores_url(judging), {"entry": first.pk, "scores": SHEET})
    again = api(personas.manager).post(f"contests/{judging['contest'].pk}/rounds/1/assign")
    assert again.status_code == 409 and again.json()["error"]["code"] == "scoring_started"
    assert Assignment.objects.filter(round=judging["round"]).count() == 3
