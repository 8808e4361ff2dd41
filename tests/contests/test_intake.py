"""Eligibility at intake (decision 0056): late, category, the same file, near-same text."""

import datetime as dt
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.contests.conftest import SYSTEM, make_contest
from tests.documents.test_attachments import png_file as png
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.contests import services, similarity
from trienkhai.contests.models import Entry

ESSAY = (
    "Trải qua chín mươi năm xây dựng và trưởng thành, Đảng bộ tỉnh Kiên Giang đã lãnh đạo "
    "nhân dân vượt qua muôn vàn khó khăn, thử thách trong kháng chiến và trong công cuộc "
    "đổi mới. Những ngày đầu thành lập, các chi bộ ở U Minh Thượng, Vĩnh Thuận, An Biên bám "
    "dân, bám đất, xây dựng cơ sở cách mạng trong lòng địch. Bước vào thời kỳ đổi mới, tỉnh "
    "tập trung phát triển kinh tế biển, nông nghiệp công nghệ cao và du lịch Phú Quốc, đời "
    "sống người dân không ngừng được nâng lên, bộ mặt nông thôn đổi thay rõ rệt. Công tác "
    "xây dựng Đảng được chú trọng, tổ chức cơ sở đảng được củng cố, đội ngũ cán bộ trưởng "
    "thành, niềm tin của nhân dân vào sự lãnh đạo của Đảng ngày càng vững chắc."
)
OTHER = (
    "Xã Vĩnh Bình Bắc nằm ở phía nam huyện Vĩnh Thuận, nơi có nhiều kênh rạch chằng chịt "
    "và rừng tràm bạt ngàn. Người dân nơi đây sống chủ yếu bằng nghề trồng lúa, nuôi tôm "
    "và khai thác thủy sản. Từ khi thực hiện chương trình xây dựng nông thôn mới, đường "
    "giao thông được bê tông hóa đến tận ấp, trường học và trạm y tế được xây mới khang "
    "trang, tỷ lệ hộ nghèo giảm mạnh qua từng năm. Chi bộ ấp phát huy vai trò hạt nhân, "
    "vận động bà con hiến đất làm đường, góp công xây cầu, giữ gìn an ninh trật tự và "
    "phát triển các mô hình kinh tế hợp tác mang lại thu nhập ổn định cho nhiều gia đình."
)


def essay(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def receive(contest, unit, data, name="bai.docx", **more):
    return services.receive_entry(
        acting_user=SYSTEM,
        contest=contest,
        title="Bài viết",
        author_name="Nguyễn Văn A",
        unit=unit,
        file_name=name,
        data=data,
        **more,
    )


def test_it_refuses_a_late_entry_by_the_day_it_was_sent(org, contest, media):
    contest.closes = dt.date(2022, 9, 30)
    contest.save(update_fields=["closes"])
    with pytest.raises(BadInput) as refused:
        receive(contest, org.c1, png(1), "bai.png")
    assert refused.value.code == "late"
    assert "sau hạn nhận bài 30/09/2022 / sent on" in refused.value.message
    with pytest.raises(BadInput) as early:
        receive(contest, org.c1, png(1), "bai.png", sent_on=dt.date(2022, 2, 28))
    assert early.value.code == "not_open"
    assert not media.exists() or not any(media.rglob("*"))  # nothing stored
    # Posted on the last day, typed in later: on time.
    entry = receive(contest, org.c1, png(1), "bai.png", sent_on=dt.date(2022, 9, 30))
    assert entry.sent_on == dt.date(2022, 9, 30)
    assert Entry.objects.count() == 1


def test_it_refuses_a_day_sent_after_today(org, contest, media):
    with pytest.raises(BadInput) as refused:
        receive(contest, org.c1, png(1), "bai.png", sent_on=dt.date.today() + dt.timedelta(1))
    assert refused.value.code == "invalid_sent_on"


def test_it_asks_a_category_of_a_contest_that_has_some(org, media):
    contest = make_contest(org.d1)
    assert receive(contest, org.c1, png(1), "bai.png").category is None
    with pytest.raises(BadInput) as none_here:
        receive(contest, org.c1, png(2), "bai.png", category="Bút ký")
    assert none_here.value.code == "invalid_category"
    services.add_category(acting_user=SYSTEM, contest=contest, name="Bút ký")
    services.add_category(acting_user=SYSTEM, contest=contest, name="Chính luận")
    with pytest.raises(Conflict):
        services.add_category(acting_user=SYSTEM, contest=contest, name="Bút ký")
    for wrong in ("", "Thơ"):
        with pytest.raises(BadInput) as refused:
            receive(contest, org.c1, png(2), "bai.png", category=wrong)
        assert "Bút ký, Chính luận" in refused.value.message
    entry = receive(contest, org.c1, png(2), "bai.png", category="Chính luận")
    assert entry.category.name == "Chính luận"
    assert Entry.objects.count() == 2


def test_it_flags_a_near_same_text_and_not_a_different_one(org, contest, media):
    first = receive(contest, org.c1, essay(ESSAY))
    assert len(first.text_signature) == 4 * similarity.PERMUTATIONS
    other = receive(contest, org.c2, essay(OTHER))
    assert other.similar_to is None
    # The same essay with a few words changed and a sentence added, from another unit.
    copied = ESSAY.replace("chín mươi", "90").replace("rõ rệt", "rất rõ") + " Xin cảm ơn."
    again = receive(contest, org.c2, essay(copied), "ban-sao.docx")
    assert again.similar_to == first
    assert 0.5 <= again.similarity < 1
    # A scan has no text: nothing to compare, nothing flagged.
    assert receive(contest, org.c2, png(3), "bai.png").text_signature == b""


def test_it_estimates_jaccard_close_to_the_exact_value():
    """GIVEN two texts sharing about half their shingles WHEN signed THEN the MinHash
    estimate is within 0,15 of the exact Jaccard index."""
    words = ESSAY.split() + OTHER.split()
    left, right = " ".join(words[:150]), " ".join(words[60:])
    exact = _jaccard(left, right)
    estimate = (
        sum(
            a == b
            for a, b in zip(
                memoryview(similarity.signature(left)).cast("I"),
                memoryview(similarity.signature(right)).cast("I"),
                strict=True,
            )
        )
        / similarity.PERMUTATIONS
    )
    assert abs(estimate - exact) < 0.15, (estimate, exact)


def _jaccard(a: str, b: str) -> float:
    from trienkhai.vn.text import fold

    def shingles(text):
        words = similarity._WORD.findall(fold(text))
        return {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}

    left, right = shingles(a), shingles(b)
    return len(left & right) / len(left | right)


def test_the_api_takes_a_category_and_a_day_sent_and_names_the_similar_entry(
    org, personas, api, media
):
    contest = make_contest(org.d1, categories=["Chính luận"])
    client = api(personas.manager)

    def send(data, **fields):
        return client.client.post(
            f"/api/v1/contests/{contest.pk}/entries",
            data={
                "file": SimpleUploadedFile("bai.docx", data),
                "title": "Bài",
                "author_name": "A",
                "unit": "C1",
                "category": "Chính luận",
            }
            | fields,
            headers=client.headers,
        )

    first = send(essay(ESSAY), sent_on="30/09/2022")
    assert first.status_code == 201, first.content
    assert first.json()["category"] == "Chính luận" and first.json()["similar"] is None
    second = send(essay(ESSAY + " Hết."))
    assert second.status_code == 201, second.content
    assert second.json()["similar"]["receipt"] == "001/2022"
    wrong = send(essay(OTHER), category="Thơ")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["message"].startswith("Không có thể loại Thơ")
    bad_day = send(essay(OTHER), sent_on="31/02/2022")
    assert bad_day.status_code == 400
    assert Entry.objects.count() == 2
