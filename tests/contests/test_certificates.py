"""Prize certificates: issued after the results decision in the organiser's one series,
found by the activities' verification page, printed as their PDF (decision 0056)."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from tests.activities.test_certificate_pdf import needs_soffice
from tests.contests.conftest import SYSTEM, make_contest
from tests.contests.test_results import _issue, _prizes, closed  # noqa: F401
from trienkhai.activities import certificates as activity_certificates
from trienkhai.activities.models import CertificateSeries
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.contests import certificates, results
from trienkhai.contests.models import PrizeCertificate


@pytest.fixture
def decided(contest, closed):  # noqa: F811
    """Round 1's prizes (Giải A × 1, Giải B × 2) drawn and decided today."""
    round1, _ = closed
    _prizes(contest, round1)
    results.draw_results(acting_user=SYSTEM, contest=contest, round=round1)
    _issue(contest, round1)
    round1.refresh_from_db()
    return round1


def _certify(contest, round1, **more):
    return certificates.issue(
        acting_user=SYSTEM,
        contest=contest,
        round=round1,
        signer_position="Chủ tịch",
        signer_name="Lê Văn Ký",
        **more,
    )


def test_it_waits_for_the_results_decision(contest, closed):  # noqa: F811
    round1, _ = closed
    with pytest.raises(Conflict) as refused:
        _certify(contest, round1)
    assert refused.value.code == "no_decision"


def test_it_numbers_the_winners_in_the_organisers_one_series(org, contest, decided):
    # The district gave four class certificates this year already (activities).
    CertificateSeries.objects.create(organiser=org.d1, year=dt.date.today().year, last_number=4)
    with pytest.raises(BadInput):
        _certify(contest, decided, day=dt.date.today() + dt.timedelta(days=1))
    made = _certify(contest, decided)
    assert [(c.number, c.symbol, c.prize_name, c.name) for c in made] == [
        (5, "05/GCN-HU", "Giải A", "Tác giả 3"),
        (6, "06/GCN-HU", "Giải B", "Tác giả 1"),
        (7, "07/GCN-HU", "Giải B", "Tác giả 5"),
    ]
    assert made[0].signer_position == "CHỦ TỊCH"
    assert made[0].decision == decided.results_decision.symbol
    assert len({c.code for c in made}) == 3
    assert CertificateSeries.objects.get(organiser=org.d1).last_number == 7
    with pytest.raises(Conflict) as again:
        _certify(contest, decided)
    assert again.value.code == "nothing_to_issue"


def test_the_verification_page_and_endpoint_find_a_prize_certificate(client, api, contest, decided):
    made = _certify(contest, decided)[0]
    shown = activity_certificates.grouped(made.code)
    assert activity_certificates.find(shown.lower()) == made
    answer = api().get(f"activities/certificates/verify/{shown}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["state"], body["symbol"], body["name"], body["kind"]) == (
        "valid",
        "01/GCN-HU",
        "Tác giả 3",
        "contest",
    )
    assert body["title"] == contest.title
    page = client.get(f"/xac-minh/{shown}/")
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert f"<dt>Cuộc thi</dt><dd>{contest.title}</dd>" in text
    assert f"<dt>Giải</dt><dd>{made.prize_name}</dd>" in text
    assert "Hoạt động" not in text
    assert api().get("activities/certificates/verify/0000-0000-0000-0000").status_code == 404


def test_the_api_issues_them_for_organisers_only(personas, api, contest, decided):
    url = f"contests/{contest.pk}/rounds/1/certificates"
    body = {"signer_position": "Chủ tịch", "signer_name": "Lê Văn Ký"}
    judge = api(decided.judges.get(user__username="gk1").user)
    for refused in (api(personas.outsider), api(personas.viewer), judge):
        assert refused.post(url, body).status_code == 403
    assert api().post(url, body).status_code == 401
    made = api(personas.manager).post(url, body)
    assert made.status_code == 201, made.content
    first = made.json()[0]
    assert first["symbol"] == "01/GCN-HU" and first["prize"] == "Giải A"
    assert first["verify_url"].endswith(f"/xac-minh/{first['code']}/")
    assert api(personas.manager).post(url, body).status_code == 409
    assert api(personas.outsider).get(first["file"]).status_code == 403
    assert judge.get(first["file"]).status_code == 403
    assert PrizeCertificate.objects.count() == 3


@needs_soffice
def test_the_pdf_names_the_winner_the_prize_and_the_code(personas, api, contest, decided):
    made = _certify(contest, decided)[0]
    url = f"/api/v1/contests/{contest.pk}/certificates/{made.pk}/pdf"
    response = api(personas.manager).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (page,) = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
    words = " ".join(page.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 01/GCN-HU",
        "GIẤY CHỨNG NHẬN",
        "Huyện Vĩnh Thuận chứng nhận:",
        "Ông/Bà: Tác giả 3",
        "Đơn vị: Thị trấn Vĩnh Thuận",
        f"Đoạt Giải A {contest.title}",
        "Với tác phẩm: Bài số 3",
        f"Theo Quyết định số {made.decision}",
        f"Mã xác minh: {activity_certificates.grouped(made.code)}",
        "CHỦ TỊCH",
    ):
        assert expected in words, (expected, words)


def test_it_revokes_once_saying_why_and_the_verification_page_says_so(
    client, api, personas, contest, decided
):
    made = _certify(contest, decided)[0]
    with pytest.raises(BadInput) as empty:
        certificates.revoke(acting_user=SYSTEM, certificate=made, reason="  ")
    assert empty.value.code == "missing_reason"
    with pytest.raises(BadInput) as long:
        certificates.revoke(acting_user=SYSTEM, certificate=made, reason="x" * 501)
    assert long.value.code == "too_long"
    with pytest.raises(PermissionDenied):
        certificates.revoke(acting_user=personas.outsider, certificate=made, reason="Cấp nhầm")
    made.refresh_from_db()
    assert made.state == PrizeCertificate.State.VALID and made.revoked is None
    done = certificates.revoke(
        acting_user=personas.manager, certificate=made, reason=" Tác phẩm sao chép "
    )
    assert (done.state, done.revoked_reason, done.revoked_by) == (
        "revoked",
        "Tác phẩm sao chép",
        personas.manager,
    )
    with pytest.raises(Conflict) as again:
        certificates.revoke(acting_user=personas.manager, certificate=made, reason="Lần nữa")
    assert again.value.code == "already_revoked"
    made.refresh_from_db()
    assert made.revoked_reason == "Tác phẩm sao chép"
    shown = activity_certificates.grouped(made.code)
    text = " ".join(client.get(f"/xac-minh/{shown}/").content.decode().split())
    day = timezone.localdate(made.revoked).strftime("%d/%m/%Y")
    assert f"Giấy chứng nhận này đã bị thu hồi ngày {day} và không còn hiệu lực." in text
    assert "Đã thu hồi" in text
    body = api().get(f"activities/certificates/verify/{shown}").json()
    assert (body["state"], body["revoked"]) == (
        "revoked",
        timezone.localdate(made.revoked).isoformat(),
    )


def test_the_api_revokes_for_organisers_only(personas, api, org, contest, decided):
    made = _certify(contest, decided)[0]
    url = f"contests/{contest.pk}/certificates/{made.pk}/revoke"
    body = {"reason": "Tác phẩm sao chép"}
    judge = api(decided.judges.get(user__username="gk1").user)
    for refused in (api(personas.outsider), api(personas.viewer), judge):
        assert refused.post(url, body).status_code == 403
    assert api().post(url, body).status_code == 401
    assert api(personas.manager).get(url).status_code == 405
    other = make_contest(org.d1)
    elsewhere = api(personas.manager).post(
        f"contests/{other.pk}/certificates/{made.pk}/revoke", body
    )
    assert elsewhere.status_code == 404
    empty = api(personas.manager).post(url, {"reason": ""})
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "missing_reason"
    assert PrizeCertificate.objects.get(pk=made.pk).state == "valid"
    done = api(personas.manager).post(url, body)
    assert done.status_code == 200, done.content
    answer = done.json()
    assert (answer["id"], answer["state"], answer["reason"]) == (made.pk, "revoked", body["reason"])
    again = api(personas.manager).post(url, body)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_revoked"
