"""Who may do what, for every URL the site serves: the authorization matrix.

Every URL pattern of Django's resolver (the ninja API under /api/v1/ and DHIS2 under
/dhis2/api/ included) has ONE line in ``MATRIX``, keyed by its route string (what
``tests.authz.routes()`` prints; a ``re_path`` is its regular expression). Each line says
how to build a concrete URL from the ``world`` fixture, which methods the route serves,
and for each the least role that may use it on the district's objects (D1 and below):
``public``, ``any_logged_in``, ``view``, ``enter``, ``manage``, ``admin_local`` (an admin
below the root) or ``global`` (an admin held at the country). ``tests.authz.expected``
turns that into the answers for seven personas (anonymous, outsider = a manager of D2,
viewer, reporter, manager of D1, admin of the province P1, admin of the country):
anonymous → log-in redirect (pages) or 401 (APIs); a user without the right → 403 (or
``refused=(404,)`` where the policy hides that the object exists: the owner's own API
token, DHIS2 objects outside the caller's reach, ninja's empty root); an allowed persona
→ neither 401/403/404 nor a 5xx (a write with a minimal body may answer 400/409/422);
a method the route does not serve → 405. A refused or 4xx write must leave the main
tables unchanged. ``lists=True`` lines are read as the outsider and must not contain
the district's unit codes or names.

To add an endpoint: add one line, e.g.
    "api/v1/things/<int:pk>": R(lambda w: f"/api/v1/things/{w.thing.pk}", GET="view", POST="manage",
                                body=lambda w: {"name": "x"}),
(put what the URL needs into ``world``; give write bodies enough to pass validation,
so the permission decides). ``outsider_ok=True`` when the right is "some role anywhere"
(imports whose rows are checked one by one); ``xfail="why"`` for a known defect (the
line must then fail: strict). A pattern without a line fails
``test_it_has_one_entry_per_url_pattern`` with its route. Django's /admin/ is covered by
one rule: ``test_it_keeps_the_admin_to_superusers``.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import authz
from tests import factories as f
from tests.authz import R
from tests.documents.test_attachments import png_file
from tests.drafting.conftest import district, media, templates  # noqa: F401
from tests.factories import SIGNED, SYSTEM
from tests.reporting.conftest import audience, form  # noqa: F401


@pytest.fixture
def world(org, personas, form, district, templates, media):  # noqa: F811
    from trienkhai.accounts.models import ApiToken, RoleAssignment
    from trienkhai.documents import attachments
    from trienkhai.documents import services as documents
    from trienkhai.documents.models import Document
    from trienkhai.drafting import services as drafting
    from trienkhai.drafting.models import Report
    from trienkhai.orgs import services as orgs
    from trienkhai.orgs.models import Unit
    from trienkhai.reporting.models import DataValue, Form, FormSection, Indicator, Submission

    province_admin = f.make_user("province_admin", unit=org.p1, role="admin")
    judging_manager = f.make_user("judging_manager", unit=org.d1, role="manager")
    # Agency codes: the directive exports as an edXML package, BTGT receives it.
    orgs.set_agency_code(acting_user=SYSTEM, unit=district.hu, agency_code="000.00.01.Z91")
    orgs.set_agency_code(acting_user=SYSTEM, unit=district.board, agency_code="000.01.01.Z91")
    report = drafting.create_report(
        acting_user=SYSTEM,
        template=templates["so-ket-6-thang"],
        unit=district.hu,
        issuer=district.board,
        period="2020S1",
        date=dt.date(2020, 6, 29),
    )
    attachment = attachments.attach(
        acting_user=SYSTEM, document=district.directive, name="a.png", data=png_file()
    )
    section = FormSection.objects.create(form=form, title="Phần", order=0)
    from trienkhai.documents import signing
    from trienkhai.documents.signing import specimens

    attachments.attach(
        acting_user=SYSTEM,
        document=district.directive,
        name="cong-van.pdf",
        data=specimens.text_pdf(1),
    )
    _, signing_token = signing.open_link(acting_user=personas.manager, document=district.directive)
    copy = _copy_of(district.directive)
    draft = documents.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=district.board,
        type="BC",
        date=dt.date(2020, 6, 29),
        summary="Dự thảo",
    )
    users = {
        "anonymous": None,
        "outsider": personas.outsider,
        "viewer": personas.viewer,
        "reporter": personas.reporter,
        "manager": personas.manager,
        "province_admin": province_admin,
        "admin": personas.admin,
        "judging_manager": judging_manager,  # authz.JUDGING_MANAGER, for the contest only
    }
    sessions = authz.Sessions(users)
    from trienkhai.activities import services as activities
    from trienkhai.activities.models import Attendance, Event, Person

    event = activities.create_event(
        acting_user=SYSTEM,
        organiser=org.d1,
        kind="class",
        title="Lớp bồi dưỡng",
        start=dt.date(2021, 3, 1),
        end=dt.date(2021, 3, 1),
    )
    activities.record_attendance(
        acting_user=SYSTEM,
        event=event,
        rows=[activities.AttendanceRow(session="2021-03-01", name="Nguyễn Văn A", unit="C1")],
    )
    person = Attendance.objects.get().person
    from trienkhai.activities import checkin

    check_in_session = checkin.open_code(acting_user=SYSTEM, session=event.sessions.get())
    from trienkhai.activities import sites
    from trienkhai.activities.models import Site, SiteCount

    conference = activities.create_event(
        acting_user=SYSTEM,
        organiser=org.d1,
        kind="online_conference",
        title="Hội nghị trực tuyến",
        start=dt.date(2021, 4, 1),
        end=dt.date(2021, 4, 1),
        sites=[sites.SiteInput("C1", "Hội trường")],
    )
    from trienkhai.activities import certificates
    from trienkhai.activities.models import Certificate

    (certificate,) = certificates.issue(
        acting_user=SYSTEM, event=event, day=dt.date(2021, 3, 10), signer_position="CHỦ TỊCH"
    )
    from trienkhai.activities import channels as official_channels
    from trienkhai.activities import pledges
    from trienkhai.activities.models import Channel, Pledge, PledgeList, PostCount

    pledges.record_pledges(
        acting_user=SYSTEM,
        unit=org.c1,
        year=2020,
        deadline=dt.date(2020, 4, 15),
        rows=[pledges.PledgeRow(name="Lê Văn Bảy", submitted="2020-03-02")],
    )
    channel = official_channels.register_channel(
        acting_user=SYSTEM,
        unit=org.d1,
        kind="website",
        name="Trang thông tin điện tử huyện",
        address="https://huyen.example.vn",
        active_from=dt.date(2018, 1, 1),
    )
    official_channels.record_post_counts(
        acting_user=SYSTEM, channel=channel, rows=[official_channels.PostCountRow("202001", "12")]
    )
    from trienkhai.activities import inspections
    from trienkhai.activities.models import Inspection, InspectionPlan, Recommendation

    inspection = inspections.create_inspection(
        acting_user=SYSTEM,
        unit=org.d1,
        inspected=org.c1,
        kind="inspection",
        title="Kiểm tra Nghị quyết 35",
        start=dt.date(2021, 3, 1),
        end=dt.date(2021, 3, 4),
    )
    plan = inspections.create_plan(
        acting_user=SYSTEM, unit=org.d1, year=2021, title="Kế hoạch kiểm tra năm 2021"
    )
    inspections.conclude(
        acting_user=SYSTEM,
        inspection=inspection,
        concluded=dt.date(2021, 3, 20),
        findings="Đã triển khai",
        recommendations=[inspections.RecommendationInput("Báo cáo đúng hạn", dt.date(2021, 4, 30))],
    )
    from trienkhai.notifications import services as notifications
    from trienkhai.notifications import texts

    task = texts.task("Nhiệm vụ", "Huyện Vĩnh Thuận", dt.date(2021, 4, 30), "")
    (notification,) = notifications.tell(
        [notifications.Event(personas.admin, "task", "matrix", "/viec-cua-toi/", task)],
        send=False,
    )
    from tests.contests.conftest import make_contest
    from trienkhai.contests import services as contests
    from trienkhai.contests.models import Advancement, Assignment, Contest, Entry, Judge, Score

    contest = make_contest(org.d1)
    # The viewer judges round 1 and is assigned the one entry: judging is blind, so only
    # they and the organisers read it, only they score it (decision 0053).
    entry = contests.receive_entry(
        acting_user=SYSTEM,
        contest=contest,
        title="Bài dự thi",
        author_name="Nguyễn Văn A",
        unit=org.c1,
        file_name="bai.png",
        data=png_file(7),
    )
    round1 = contest.rounds.get(number=1)
    judge = contests.add_judge(
        acting_user=SYSTEM, contest=contest, round=round1, user=personas.viewer
    )
    Assignment.objects.create(round=round1, entry=entry, judge=judge)
    # A manager of D1 judging it too: blind, refused the organiser's pages (0053).
    seat = contests.add_judge(
        acting_user=SYSTEM, contest=contest, round=round1, user=judging_manager
    )
    Assignment.objects.create(round=round1, entry=entry, judge=seat)
    from tests.contests.conftest import make_prize_certificate

    prize_certificate = make_prize_certificate(round1, entry, org.d1)
    from trienkhai.commendations import services as commendations
    from trienkhai.commendations.models import Award, DossierFile, Individual, Kind, Nomination

    # A person of C1 nominated for D1's Giấy khen: the district's managers nominate and
    # review it; viewers read it without the name (decision 0040).
    nomination = commendations.nominate(
        acting_user=SYSTEM,
        kind=Kind.objects.get(code="giay_khen_ban_dang"),
        giver=org.d1,
        year=2023,
        achievement="Hoàn thành xuất sắc nhiệm vụ",
        recipient_unit=org.c1,
        recipient_name="Nguyễn Văn An",
    )
    dossier = commendations.add_file(
        acting_user=SYSTEM,
        nomination=nomination,
        role="to_trinh",
        file_name="tt.png",
        data=png_file(3),
    )
    from trienkhai.committees import services as committees
    from trienkhai.committees.models import Committee, Conclusion, Meeting, Membership
    from trienkhai.committees.models import Person as CommitteePerson

    # The district committee's BCĐ 35 with a head and a meeting before the directive.
    committee = committees.create_committee(
        acting_user=SYSTEM, unit=district.hu, name="Ban Chỉ đạo 35", valid_from=dt.date(2019, 8, 28)
    )
    seat = committees.add_member(
        acting_user=SYSTEM,
        committee=committee,
        name="Nguyễn Văn Hùng",
        role="head",
        valid_from=dt.date(2019, 8, 28),
    )
    meeting = committees.hold_meeting(
        acting_user=SYSTEM,
        committee=committee,
        date=dt.date(2020, 5, 20),
        kind="regular",
        title="Họp định kỳ",
        attendees=[seat.person_id],
    )
    return SimpleNamespace(
        committee=committee,
        seat=seat,
        meeting=meeting,
        notification=notification,
        unsubscribe=notifications.unsubscribe_token(personas.reporter, "task"),
        org=org,
        form=form,
        district=district,
        report=report,
        draft=draft,
        directive=district.directive,
        watched=[
            Unit,
            RoleAssignment,
            ApiToken,
            Indicator,
            Form,
            DataValue,
            Submission,
            Document,
            Report,
            Event,
            Attendance,
            Person,
            PledgeList,
            Pledge,
            Channel,
            PostCount,
            InspectionPlan,
            Inspection,
            Recommendation,
            Certificate,
            Site,
            SiteCount,
            Contest,
            Judge,
            Entry,
            Assignment,
            Advancement,
            Score,
            Nomination,
            Individual,
            DossierFile,
            Award,
            Committee,
            Membership,
            Meeting,
            Conclusion,
            CommitteePerson,
        ],
        nomination=nomination,
        dossier=dossier,
        contest=contest,
        entry=entry,
        prize_certificate=prize_certificate,
        event=event,
        conference=conference,
        site=conference.sites.get(),
        check_in_session=check_in_session,
        person=person,
        certificate=certificate,
        channel=channel,
        inspection=inspection,
        plan=plan,
        recommendation=inspection.recommendations.get(),
        attachment=attachment,
        signing_token=signing_token,
        copy=copy,
        section=section,
        rule=form.rules.first(),
        submission=Submission.objects.filter(form=district.form).first(),
        token=ApiToken.objects.filter(user=personas.admin).first(),
        role=RoleAssignment.objects.get(user=personas.viewer),
        sessions=sessions,
        users=users,
        secrets=(
            ["D1", "C1", "C2", "P1", "HUT", "BTGT", "CBA", "CBB"],
            [
                "Vĩnh Thuận",
                "Vĩnh Bình Bắc",
                "Kiên Giang",
                "Chi bộ Công an huyện",
                "Chi bộ Ban Tuyên giáo",
            ],
        ),
    )


ON = "2026-01-01"
ANYONE = dict.fromkeys(authz.METHODS, "public")  # views that answer every method alike
NO_ONE = dict.fromkeys(authz.METHODS, "none")
DHIS2_REFUSED = (403, 409)  # DHIS2 refuses a value in its import summary, with a 409


def csv_file(text: str):
    return SimpleUploadedFile("tep.csv", text.encode(), content_type="text/csv")


def xlsx_file():
    return SimpleUploadedFile("tep.xlsx", b"PK\x03\x04 not a workbook")


def png_upload():
    return SimpleUploadedFile("scan.png", png_file(), content_type="image/png")


def edxml_upload(w):
    """The directive as an edXML package addressed to BTGT."""
    from trienkhai.documents import interchange

    data = interchange.export_package(w.directive, to=["BTGT"])
    return SimpleUploadedFile("goi.xml", data, content_type="application/xml")


def edxml_status_upload(w):
    """BTGT's status message "accepted" about the directive."""
    from trienkhai.documents.interchange import document_key, edxml

    message = edxml.StatusMessage(
        sender=edxml.Organ("000.01.01.Z91"),
        response_for=edxml.Reference(
            "000.00.01.Z91", w.directive.symbol, w.directive.date, document_key(w.directive)
        ),
        code="03",
        description="",
        at=dt.datetime(2020, 6, 3, 8, 0, tzinfo=dt.UTC),
    )
    return SimpleUploadedFile("status.xml", edxml.build_status(message))


def _copy_of(document):
    """An electronic copy of ``document`` as the register keeps it (a PDF beside it; the
    signing itself is tests/documents/test_copies.py's)."""
    import hashlib

    from django.utils import timezone

    from trienkhai.documents.attachments import _store
    from trienkhai.documents.models import ElectronicCopy
    from trienkhai.documents.signing import specimens

    data = specimens.text_pdf(1)
    digest = hashlib.sha256(data).hexdigest()
    return ElectronicCopy.objects.create(
        document=document,
        kind=ElectronicCopy.Kind.SAO_Y,
        unit=document.unit,
        body="Ban",
        signer="Ban",
        signed_at=timezone.now(),
        sha256=digest,
        base_sha256=digest,
        size=len(data),
        path=_store(data, digest),
    )


def pdf_upload(name: str = "file"):
    from trienkhai.documents.signing import specimens

    return {
        name: SimpleUploadedFile("a.pdf", specimens.text_pdf(1), content_type="application/pdf")
    }


# fmt: off
MATRIX = {
    # --- the HTTP API (/api/v1/) ---
    "api/v1/openapi.json": R(lambda w: "/api/v1/openapi.json", **ANYONE),
    "api/v1/docs": R(lambda w: "/api/v1/docs", **ANYONE),
    "api/v1/": R(lambda w: "/api/v1/", refused=(404,), **NO_ONE),
    "api/v1/auth/token": R(lambda w: "/api/v1/auth/token", POST="public"),
    "api/v1/auth/tokens": R(lambda w: "/api/v1/auth/tokens", GET="any_logged_in"),
    "api/v1/auth/tokens/<token_id>": R(
        lambda w: f"/api/v1/auth/tokens/{w.token.pk}", refused=(404,), DELETE="global"
    ),
    "api/v1/auth/logout": R(lambda w: "/api/v1/auth/logout", POST="any_logged_in"),
    "api/v1/me": R(lambda w: "/api/v1/me", GET="any_logged_in"),
    "api/v1/me/desk": R(lambda w: "/api/v1/me/desk", GET="any_logged_in", lists=True),
    # One's own notifications (notifications.access: another's is a 404); the signed
    # unsubscribe link of an e-mail works without logging in.
    "api/v1/me/notifications": R(lambda w: "/api/v1/me/notifications", GET="any_logged_in", lists=True),
    "api/v1/me/notifications/<notification_id>/read": R(lambda w: f"/api/v1/me/notifications/{w.notification.pk}/read", refused=(404,), POST="global"),
    "thong-bao/": R(lambda w: "/thong-bao/", GET="any_logged_in", lists=True),
    "thong-bao/<int:pk>/da-doc/": R(lambda w: f"/thong-bao/{w.notification.pk}/da-doc/", refused=(404,), POST="global"),
    "thong-bao/da-doc-het/": R(lambda w: "/thong-bao/da-doc-het/", POST="any_logged_in"),
    "thong-bao/cai-dat/": R(lambda w: "/thong-bao/cai-dat/", GET="any_logged_in", POST="any_logged_in", body=lambda w: {"is_digest": "0"}),
    "thong-bao/huy-nhan/<str:token>/": R(lambda w: f"/thong-bao/huy-nhan/{w.unsubscribe}/", GET="public", POST="public"),
    # The user's own account and two-factor pages (accounts.login_views).
    "xac-thuc/ma/": R(lambda w: "/xac-thuc/ma/", GET="any_logged_in", POST="any_logged_in"),
    "xac-thuc/thiet-lap/": R(lambda w: "/xac-thuc/thiet-lap/", GET="any_logged_in", POST="any_logged_in"),
    "tai-khoan/": R(lambda w: "/tai-khoan/", GET="any_logged_in", POST="any_logged_in"),
    "tai-khoan/khoa-api/<int:pk>/thu-hoi/": R(lambda w: f"/tai-khoan/khoa-api/{w.token.pk}/thu-hoi/", refused=(404,), POST="global"),
    "tai-khoan/ma-du-phong/": R(lambda w: "/tai-khoan/ma-du-phong/", POST="any_logged_in"),
    "tai-khoan/tat-xac-thuc/": R(lambda w: "/tai-khoan/tat-xac-thuc/", not_for=("admin", "province_admin"), POST="any_logged_in"),
    "api/v1/roles": R(
        lambda w: "/api/v1/roles",
        lists=True,
        GET="any_logged_in",
        POST="manage",
        body=lambda w: {"user": "reporter", "unit": "C1", "role": "viewer"},
    ),
    "api/v1/roles/<role_id>": R(lambda w: f"/api/v1/roles/{w.role.pk}", DELETE="manage"),
    "api/v1/units": R(
        lambda w: "/api/v1/units",
        lists=True,
        GET="any_logged_in",
        POST="manage",
        body=lambda w: {
            "code": "C9",
            "name": "Xã mới",
            "kind": "commune",
            "parent": "D1",
            "valid_from": ON,
        },
    ),
    "api/v1/units/<code>": R(lambda w: "/api/v1/units/D1", GET="view"),
    "api/v1/units/<code>/descendants": R(lambda w: "/api/v1/units/D1/descendants", GET="view"),
    "api/v1/units/<code>/successors": R(lambda w: "/api/v1/units/D1/successors", GET="view"),
    "api/v1/units/<code>/changes": R(
        lambda w: "/api/v1/units/C1/changes",
        POST="manage",
        body=lambda w: {"on": ON, "name": "Thị trấn mới"},
    ),
    "api/v1/units/<code>/merge": R(
        lambda w: "/api/v1/units/C1/merge",
        POST="manage",
        body=lambda w: {"predecessors": ["C2"], "on": ON},
    ),
    "api/v1/units/<code>/split": R(
        lambda w: "/api/v1/units/C2/split", POST="manage", body=lambda w: {"into": ["C1"], "on": ON}
    ),
    "api/v1/units/<code>/dissolve": R(
        lambda w: "/api/v1/units/C2/dissolve", POST="manage", body=lambda w: {"on": ON}
    ),
    "api/v1/units/<code>/history": R(lambda w: "/api/v1/units/D1/history", GET="view"),
    "api/v1/units/<code>/agency-code": R(lambda w: "/api/v1/units/C1/agency-code", PUT="manage", body=lambda w: {"agency_code": "000.00.09.Z91"}),
    "api/v1/unit-imports": R(lambda w: "/api/v1/unit-imports", outsider_ok=True, POST="manage", body=lambda w: {"file": csv_file("code,name,kind,parent,valid_from\nC9,Xã mới,commune,D1,2026-01-01\n")}),
    "api/v1/unit-imports/template": R(lambda w: "/api/v1/unit-imports/template", outsider_ok=True, GET="manage"),
    "api/v1/indicators": R(
        lambda w: "/api/v1/indicators",
        GET="any_logged_in",
        POST="global",
        body=lambda w: {"code": "moi", "name": "Chỉ tiêu mới"},
    ),
    "api/v1/forms": R(
        lambda w: "/api/v1/forms",
        lists=True,
        GET="any_logged_in",
        POST="manage",
        body=lambda w: {
            "code": "HK2",
            "name": "Biểu",
            "period_type": "yearly",
            "indicators": ["lop_da_mo"],
            "units": ["C1"],
            "owner": "D1",
        },
    ),
    "api/v1/datavalues": R(
        lambda w: "/api/v1/datavalues?form=HK&unit=C1&period=2020S1",
        GET="view",
        POST="enter",
        body=lambda w: {
            "form": "HK",
            "unit": "C1",
            "period": "2020S1",
            "values": [{"indicator": "lop_da_mo", "value": 1}],
        },
    ),
    "api/v1/submissions": R(
        lambda w: "/api/v1/submissions",
        POST="enter",
        body=lambda w: {"form": "HK", "unit": "C1", "period": "2020S1"},
    ),
    "api/v1/submissions/<submission_id>/approve": R(
        lambda w: f"/api/v1/submissions/{w.submission.pk}/approve", POST="manage"
    ),
    "api/v1/submissions/<submission_id>/return": R(lambda w: f"/api/v1/submissions/{w.submission.pk}/return", POST="manage", body=lambda w: {"comment": "Sửa lại"}),
    "api/v1/outliers": R(lambda w: "/api/v1/outliers?form=HK&unit=D1&period=2020S1", lists=True, GET="view"),
    "api/v1/outliers/bounds/generate": R(lambda w: "/api/v1/outliers/bounds/generate", POST="manage", body=lambda w: {"form": "HK", "unit": "D1", "period": "2020S1"}),
    "api/v1/outliers/bounds": R(lambda w: "/api/v1/outliers/bounds?unit=C1", GET="view", POST="manage", body=lambda w: {"unit": "C1", "indicator": "lop_da_mo", "low": "0", "high": "10"}),
    "api/v1/outliers/comments": R(lambda w: "/api/v1/outliers/comments", POST="enter", body=lambda w: {"form": "HK", "unit": "C1", "period": "2020S1", "indicator": "lop_da_mo", "value": "3", "comment": "Mở thêm lớp"}),
    "api/v1/submissions/<submission_id>/review": R(lambda w: f"/api/v1/submissions/{w.submission.pk}/review", GET="manage"),
    "api/v1/submissions/<submission_id>/follow-up": R(lambda w: f"/api/v1/submissions/{w.submission.pk}/follow-up", POST="manage", body=lambda w: {"cells": [{"indicator": "lop_da_mo", "note": "Theo dõi"}]}),
    "api/v1/submissions/<submission_id>/unlock": R(lambda w: f"/api/v1/submissions/{w.submission.pk}/unlock", POST="manage", body=lambda w: {"comment": "Mở lại"}),
    "api/v1/quality": R(lambda w: "/api/v1/quality?unit=D1&form=HK&from=2020S1&to=2020S2", lists=True, GET="view"),
    "api/v1/quality/notes": R(lambda w: "/api/v1/quality/notes", POST="manage", body=lambda w: {"form": "HK", "unit": "C1", "period": "2020S1", "kind": "missing", "resolve": True}),
    "api/v1/completeness": R(
        lambda w: "/api/v1/completeness?form=HK&unit=D1&period=2020S1", GET="view"
    ),
    "api/v1/forms/<code>": R(lambda w: "/api/v1/forms/HK", PATCH="manage", body=lambda w: {"deadline_days": 20}),
    "api/v1/forms/<code>/xlsx": R(lambda w: "/api/v1/forms/HK/xlsx?unit=C1&period=2020S1", GET="enter", POST="enter", body=lambda w: {"file": xlsx_file()}),
    "api/v1/datavalues/export": R(
        lambda w: "/api/v1/datavalues/export?form=HK&period=2020S1&unit=D1", GET="view"
    ),
    "api/v1/datavalues/import": R(lambda w: "/api/v1/datavalues/import", outsider_ok=True, POST="enter", body=lambda w: {"file": csv_file("form,unit,period,indicator,option,value\nHK,C1,2020S1,lop_da_mo,,1\n")}),
    "api/v1/documents": R(
        lambda w: "/api/v1/documents",
        lists=True,
        GET="any_logged_in",
        POST="manage",
        body=lambda w: {"issuer": "BTGT", "type": "BC", "date": "2020-06-29", "summary": "Báo cáo"},
    ),
    "api/v1/documents/incoming": R(
        lambda w: "/api/v1/documents/incoming",
        POST="manage",
        body=lambda w: {
            "unit": "BTGT",
            "type": "CV",
            "symbol": "1-CV/TU",
            "date": "2020-06-29",
            "summary": "Công văn",
        },
    ),
    "api/v1/documents/<int:document_id>/issue": R(
        lambda w: f"/api/v1/documents/{w.draft.pk}/issue", POST="manage"
    ),
    "api/v1/documents/<int:document_id>/cancel": R(
        lambda w: f"/api/v1/documents/{w.directive.pk}/cancel",
        POST="manage",
        body=lambda w: {"reason": "nhầm"},
    ),
    "api/v1/documents/<int:document_id>/links": R(
        lambda w: f"/api/v1/documents/{w.directive.pk}/links",
        POST="manage",
        body=lambda w: {"target": w.draft.pk, "kind": "replaces"},
    ),
    "api/v1/documents/<int:document_id>": R(
        lambda w: f"/api/v1/documents/{w.draft.pk}",
        GET="view",
        PATCH="manage",
        body=lambda w: {"signer": "Lê Văn Ký"},
    ),
    "api/v1/documents/<int:document_id>/assignments": R(
        lambda w: f"/api/v1/documents/{w.directive.pk}/assignments",
        GET="view",
        POST="manage",
        body=lambda w: {"units": ["C1"], "due": "2020-07-30", "expects": "BC"},
    ),
    "api/v1/documents/<int:document_id>/answers": R(
        lambda w: f"/api/v1/documents/{w.directive.pk}/answers",
        POST="manage",
        body=lambda w: {"unit": "CBA", "document": w.draft.pk},
    ),
    "api/v1/documents/tasks": R(lambda w: "/api/v1/documents/tasks?unit=CBA", GET="view"),
    "api/v1/documents/<int:document_id>/attachments": R(lambda w: f"/api/v1/documents/{w.directive.pk}/attachments", GET="view", POST="manage", body=lambda w: {"file": png_upload()}),
    "api/v1/units/<code>/seal": R(
        lambda w: "/api/v1/units/HUT/seal",
        POST="manage",
        body=lambda w: {"file": png_upload(), "image": png_upload(), "password": "x"},
    ),
    "api/v1/documents/<int:document_id>/sign": R(lambda w: f"/api/v1/documents/{w.directive.pk}/sign", POST="manage"),
    "api/v1/documents/<int:document_id>/pdf": R(lambda w: f"/api/v1/documents/{w.directive.pk}/pdf", GET="view"),
    "api/v1/documents/<int:document_id>/copies": R(lambda w: f"/api/v1/documents/{w.directive.pk}/copies", GET="view", POST="manage", body=lambda w: {"kind": "sao_y"}),
    "api/v1/documents/<int:document_id>/copies/<int:copy_id>/pdf": R(lambda w: f"/api/v1/documents/{w.directive.pk}/copies/{w.copy.pk}/pdf", GET="view"),
    "api/v1/documents/<int:document_id>/signatures": R(lambda w: f"/api/v1/documents/{w.directive.pk}/signatures", GET="view"),
    "api/v1/signatures/verify": R(lambda w: "/api/v1/signatures/verify", POST="any_logged_in", body=lambda w: pdf_upload()),
    "api/v1/documents/<int:document_id>/signing-links": R(lambda w: f"/api/v1/documents/{w.directive.pk}/signing-links", POST="manage"),
    # The signer's tool has no session: the one-time token in the URL is the credential.
    "api/v1/signing/<token>/pdf": R(lambda w: f"/api/v1/signing/{w.signing_token}/pdf", GET="public"),
    "api/v1/signing/<token>/upload": R(lambda w: f"/api/v1/signing/{w.signing_token}/upload", POST="public", body=lambda w: pdf_upload("uploadfile")),
    "api/v1/documents/<int:document_id>/attachments/<int:attachment_id>": R(
        lambda w: f"/api/v1/documents/{w.directive.pk}/attachments/{w.attachment.pk}", GET="view"
    ),
    "api/v1/documents/<int:document_id>/edxml": R(lambda w: f"/api/v1/documents/{w.directive.pk}/edxml", GET="view"),
    "api/v1/documents/incoming/edxml": R(lambda w: "/api/v1/documents/incoming/edxml", POST="manage", body=lambda w: {"file": edxml_upload(w), "unit": "BTGT"}),
    "api/v1/documents/<int:document_id>/edxml/statuses": R(lambda w: f"/api/v1/documents/{w.directive.pk}/edxml/statuses", GET="view", POST="manage", body=lambda w: {"status": "accepted"}),
    "api/v1/documents/edxml/statuses": R(lambda w: "/api/v1/documents/edxml/statuses", POST="manage", body=lambda w: {"file": edxml_status_upload(w)}),
    "api/v1/analytics": R(
        lambda w: "/api/v1/analytics?indicator=lop_da_mo&period=2020S1&unit=D1", GET="view"
    ),
    "api/v1/analytics.csv": R(
        lambda w: "/api/v1/analytics.csv?indicator=lop_da_mo&period=2020S1&unit=D1", GET="view"
    ),
    "api/v1/analytics.xlsx": R(
        lambda w: "/api/v1/analytics.xlsx?indicator=lop_da_mo&period=2020S1&unit=D1", GET="view"
    ),
    "api/v1/contests": R(
        lambda w: "/api/v1/contests",
        POST="manage",
        body=lambda w: {
            "unit": "D1",
            "title": "Cuộc thi",
            "opens": "2022-03-01",
            "closes": "2022-09-30",
            "rounds": [{"name": "Sơ khảo", "judges_per_entry": 2}],
        },
    ),
    "api/v1/contests/<int:contest_id>/judges": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/judges",
        POST="manage",
        body=lambda w: {"user": "viewer", "round": 1},
    ),
    "api/v1/contests/<int:contest_id>/entries": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/entries",
        POST="manage",
        body=lambda w: {"file": png_upload(), "title": "Bài", "author_name": "A", "unit": "C1"},
    ),
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/assign": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/assign", POST="manage"
    ),
    # Blind judging (decision 0053): the viewer is the entry's judge; the reporter, who
    # neither judges nor organises, is refused; organisers (manager and up) read it all.
    "api/v1/contests/<int:contest_id>/entries/<int:entry_id>": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/entries/{w.entry.pk}",
        GET="view",
        not_for=("reporter",),
    ),
    "api/v1/contests/<int:contest_id>/entries/<int:entry_id>/file": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/entries/{w.entry.pk}/file",
        GET="view",
        not_for=("reporter",),
    ),
    "api/v1/contests/<int:contest_id>/entries/<int:entry_id>/author": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/entries/{w.entry.pk}/author", GET="manage"
    ),
    "api/v1/contests/<int:contest_id>/entries/<int:entry_id>/original": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/entries/{w.entry.pk}/original",
        GET="manage",
    ),
    # Only the judge the entry is assigned to scores it, organisers included.
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/scores": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/scores",
        POST="view",
        not_for=("reporter", "manager", "province_admin", "admin"),
        body=lambda w: {"entry": w.entry.pk, "scores": {"Nội dung": 45}},
    ),
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/ranking": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/ranking", GET="manage"
    ),
    # Round 1 is open in the world: an organiser gets the service's 409 (decision 0061).
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/advance": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/advance",
        POST="manage",
        body=lambda w: {"count": 1},
    ),
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/close": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/close", POST="manage"
    ),
    "api/v1/contests/<int:contest_id>/categories": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/categories",
        POST="manage",
        body=lambda w: {"name": "Chính luận"},
    ),
    # The organisers list the declared conflicts and record one for a judge ("user");
    # a judge declaring their own (no "user") is tests/contests/test_conflicts.py's
    # (decision 0056; the judging manager is refused both, test_blind_organiser.py).
    "api/v1/contests/<int:contest_id>/conflicts": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/conflicts",
        GET="manage",
        POST="manage",
        body=lambda w: {"unit": "C1", "user": "viewer", "reason": "Người nhà công tác ở đây"},
    ),
    "api/v1/contests/<int:contest_id>/entries/<int:entry_id>/disqualify": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/entries/{w.entry.pk}/disqualify",
        POST="manage",
        body=lambda w: {"reason": "Sao chép bài đã đăng"},
    ),
    # The end of a round: organisers only; a judge never sees authors (decision 0056).
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/prizes": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/prizes",
        PUT="manage",
        body=lambda w: {"prizes": [{"name": "Giải A", "count": 1}], "forward": 1},
    ),
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/results": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/results", GET="manage", POST="manage"
    ),
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/forwarded.zip": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/forwarded.zip", GET="manage"
    ),
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/decision": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/decision",
        POST="manage",
        body=lambda w: {"date": "2022-10-01", "signer": "A", "signer_authority": "tm"},
    ),
    "api/v1/contests/<int:contest_id>/rounds/<int:number>/certificates": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/rounds/1/certificates",
        POST="manage",
        body=lambda w: {"signer_position": "Chủ tịch"},
    ),
    "api/v1/contests/<int:contest_id>/certificates/<int:certificate_id>/pdf": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/certificates/{w.prize_certificate.pk}/pdf",
        GET="manage",
    ),
    "api/v1/contests/<int:contest_id>/certificates/<int:certificate_id>/revoke": R(
        lambda w: f"/api/v1/contests/{w.contest.pk}/certificates/{w.prize_certificate.pk}/revoke",
        POST="manage",
        body=lambda w: {"reason": "Cấp nhầm"},
    ),
    "api/v1/commendations/kinds": R(
        lambda w: "/api/v1/commendations/kinds", outsider_ok=True, GET="view"
    ),
    "api/v1/commendations/nominations": R(
        lambda w: "/api/v1/commendations/nominations?giver=D1",
        GET="manage",
        POST="manage",
        body=lambda w: {
            "kind": "giay_khen_ban_dang",
            "giver": "D1",
            "year": 2023,
            "achievement": "Dẫn đầu phong trào thi đua",
            "recipient_unit": "C2",
        },
    ),
    "api/v1/commendations": R(
        lambda w: "/api/v1/commendations?unit=D1&year=2023", GET="view", lists=True
    ),
    "api/v1/commendations/nominations/<int:nomination_id>": R(
        lambda w: f"/api/v1/commendations/nominations/{w.nomination.pk}", GET="view"
    ),
    "api/v1/commendations/nominations/<int:nomination_id>/files": R(
        lambda w: f"/api/v1/commendations/nominations/{w.nomination.pk}/files",
        POST="manage",
        body=lambda w: {"file": png_upload(), "role": "to_trinh"},
    ),
    "api/v1/commendations/nominations/<int:nomination_id>/return": R(
        lambda w: f"/api/v1/commendations/nominations/{w.nomination.pk}/return",
        POST="manage",
        body=lambda w: {"reason": "Thiếu biên bản"},
    ),
    "api/v1/commendations/nominations/<int:nomination_id>/resubmit": R(
        lambda w: f"/api/v1/commendations/nominations/{w.nomination.pk}/resubmit", POST="manage"
    ),
    "api/v1/commendations/nominations/<int:nomination_id>/accept": R(
        lambda w: f"/api/v1/commendations/nominations/{w.nomination.pk}/accept", POST="manage"
    ),
    "api/v1/commendations/nominations/<int:nomination_id>/refuse": R(
        lambda w: f"/api/v1/commendations/nominations/{w.nomination.pk}/refuse",
        POST="manage",
        body=lambda w: {"reason": "Chưa đủ tiêu chuẩn"},
    ),
    "api/v1/commendations/nominations/<int:nomination_id>/award": R(
        lambda w: f"/api/v1/commendations/nominations/{w.nomination.pk}/award",
        POST="manage",
        body=lambda w: {"decided_on": "2023-12-20"},
    ),
    "api/v1/commendations/decisions": R(
        lambda w: "/api/v1/commendations/decisions",
        POST="manage",
        body=lambda w: {
            "giver": "D1",
            "nominations": [w.nomination.pk],
            "date": "2023-12-20",
            "signer": "Lê Văn Ký",
            "signer_authority": "tm",
            "recipients": "Lưu Văn phòng",
        },
    ),
    "api/v1/commendations/people/<int:individual_id>/erase": R(
        lambda w: f"/api/v1/commendations/people/{w.nomination.individual_id}/erase",
        POST="manage",
    ),
    "api/v1/committees": R(
        lambda w: "/api/v1/committees?unit=HUT",
        GET="view",
        POST="manage",
        body=lambda w: {"unit": "HUT", "name": "Ban Chỉ đạo", "founded": "2020-01-01"},
    ),
    "api/v1/committees/<int:committee_id>": R(
        lambda w: f"/api/v1/committees/{w.committee.pk}?on=2020-01-01", GET="view"
    ),
    "api/v1/committees/<int:committee_id>/members": R(
        lambda w: f"/api/v1/committees/{w.committee.pk}/members",
        POST="manage",
        body=lambda w: {"name": "Hà Thị Lan", "role": "member", "valid_from": "2020-01-01"},
    ),
    "api/v1/committees/<int:committee_id>/members/<int:membership_id>/change": R(
        lambda w: f"/api/v1/committees/{w.committee.pk}/members/{w.seat.pk}/change",
        POST="manage",
        body=lambda w: {"on": "2021-01-01", "position": "Bí thư Huyện ủy"},
    ),
    "api/v1/committees/<int:committee_id>/meetings": R(
        lambda w: f"/api/v1/committees/{w.committee.pk}/meetings",
        GET="view",
        POST="manage",
        body=lambda w: {"date": "2020-05-21", "kind": "regular", "title": "Họp"},
    ),
    "api/v1/committees/<int:committee_id>/meetings/<int:meeting_id>/minutes": R(
        lambda w: f"/api/v1/committees/{w.committee.pk}/meetings/{w.meeting.pk}/minutes",
        POST="manage",
        body=lambda w: {"document": w.directive.pk},
    ),
    "api/v1/committees/<int:committee_id>/meetings/<int:meeting_id>/conclusions": R(
        lambda w: f"/api/v1/committees/{w.committee.pk}/meetings/{w.meeting.pk}/conclusions",
        POST="manage",
        body=lambda w: {
            "task": "Báo cáo kết quả",
            "due": "2020-07-30",
            "expects": "BC",
            "units": ["CBB"],
            "document": w.directive.pk,
        },
    ),
    "api/v1/committees/people/<int:person_id>": R(
        lambda w: f"/api/v1/committees/people/{w.seat.person_id}", GET="manage"
    ),
    "api/v1/committees/people/<int:person_id>/erase": R(
        lambda w: f"/api/v1/committees/people/{w.seat.person_id}/erase", POST="manage"
    ),
    "api/v1/activities/events": R(
        lambda w: "/api/v1/activities/events?unit=D1",
        GET="view",
        lists=True,
        POST="manage",
        body=lambda w: {
            "unit": "D1",
            "kind": "class",
            "title": "Lớp",
            "start": "2021-03-01",
            "end": "2021-03-01",
        },
    ),
    "api/v1/activities/events/<int:event_id>": R(
        lambda w: f"/api/v1/activities/events/{w.conference.pk}", GET="view"
    ),
    "api/v1/activities/events/<int:event_id>/sites": R(
        lambda w: f"/api/v1/activities/events/{w.conference.pk}/sites",
        POST="manage",
        body=lambda w: {"unit": "C2", "place": "Nhà văn hóa"},
    ),
    "api/v1/activities/sites/<int:site_id>": R(
        lambda w: f"/api/v1/activities/sites/{w.site.pk}",
        PATCH="manage",
        DELETE="manage",
        body=lambda w: {"counts": [{"session": w.conference.sessions.get().pk, "people": 30}]},
    ),
    "api/v1/activities/events/<int:event_id>/attendance": R(
        lambda w: f"/api/v1/activities/events/{w.event.pk}/attendance",
        POST="manage",
        body=lambda w: {"rows": [{"session": w.event.sessions.get().pk, "name": "A", "unit": "D1"}]},
    ),
    "api/v1/activities/figures": R(
        lambda w: "/api/v1/activities/figures?unit=D1&period=2021", GET="view"
    ),
    "api/v1/activities/people": R(
        lambda w: "/api/v1/activities/people?unit=D1", GET="manage", lists=True
    ),
    "api/v1/activities/people/<int:person_id>": R(
        lambda w: f"/api/v1/activities/people/{w.person.pk}", GET="manage"
    ),
    "api/v1/activities/people/<int:person_id>/erase": R(
        lambda w: f"/api/v1/activities/people/{w.person.pk}/erase", POST="manage"
    ),
    # Check-in (decision 0045): the organiser's managers open the code and send their
    # queue; anyone holding the open code checks themselves in.
    "api/v1/activities/sessions/<int:session_id>/check-in-code": R(
        lambda w: f"/api/v1/activities/sessions/{w.check_in_session.pk}/check-in-code",
        GET="manage",
        POST="manage",
        DELETE="manage",
        body=lambda w: {"hours": 3},
    ),
    "api/v1/activities/sessions/<int:session_id>/check-ins": R(
        lambda w: f"/api/v1/activities/sessions/{w.check_in_session.pk}/check-ins",
        POST="manage",
        body=lambda w: {"check_ins": [{"client_id": "a", "name": "Lê Văn B", "unit": "C1"}]},
    ),
    "api/v1/activities/sessions/<int:session_id>/check-ins/<int:person_id>": R(
        lambda w: f"/api/v1/activities/sessions/{w.check_in_session.pk}/check-ins/{w.person.pk}",
        DELETE="manage",
    ),
    "api/v1/activities/check-in": R(
        lambda w: "/api/v1/activities/check-in",
        POST="public",
        body=lambda w: {
            "code": w.check_in_session.check_in_code,
            "client_id": "a",
            "name": "Lê Văn B",
            "unit": "C1",
        },
    ),
    # Certificates: the organiser's managers issue, read and revoke; anyone checks a code.
    "api/v1/activities/events/<int:event_id>/certificates": R(
        lambda w: f"/api/v1/activities/events/{w.event.pk}/certificates",
        GET="manage",
        POST="manage",
        body=lambda w: {"signer_position": "CHỦ TỊCH"},
    ),
    "api/v1/activities/events/<int:event_id>/certificate-rule": R(
        lambda w: f"/api/v1/activities/events/{w.event.pk}/certificate-rule",
        PUT="manage",
        body=lambda w: {"sessions": 1},
    ),
    "api/v1/activities/certificates/<int:certificate_id>": R(
        lambda w: f"/api/v1/activities/certificates/{w.certificate.pk}", GET="manage"
    ),
    "api/v1/activities/certificates/<int:certificate_id>/pdf": R(
        lambda w: f"/api/v1/activities/certificates/{w.certificate.pk}/pdf", GET="manage"
    ),
    "api/v1/activities/certificates/<int:certificate_id>/revoke": R(
        lambda w: f"/api/v1/activities/certificates/{w.certificate.pk}/revoke",
        POST="manage",
        body=lambda w: {"reason": "Cấp nhầm"},
    ),
    "api/v1/activities/certificates/verify/<code>": R(
        lambda w: f"/api/v1/activities/certificates/verify/{w.certificate.code_shown}",
        GET="public",
    ),
    # Members' names: whoever may change the cell; the counts: whoever may view.
    "api/v1/activities/pledges": R(
        lambda w: "/api/v1/activities/pledges?unit=C1&year=2020",
        GET="manage",
        POST="manage",
        body=lambda w: {
            "unit": "C1",
            "year": 2020,
            "rows": [{"name": "Lê Văn Bảy", "submitted": "2020-03-03"}],
        },
    ),
    "api/v1/activities/pledges/counts": R(
        lambda w: "/api/v1/activities/pledges/counts?unit=D1&year=2020", GET="view"
    ),
    "api/v1/activities/channels": R(
        lambda w: "/api/v1/activities/channels?unit=D1",
        GET="view",
        POST="manage",
        body=lambda w: {
            "unit": "D1",
            "kind": "radio",
            "name": "Đài truyền thanh huyện",
            "active_from": "2018-01-01",
        },
    ),
    "api/v1/activities/channels/<int:channel_id>": R(
        lambda w: f"/api/v1/activities/channels/{w.channel.pk}",
        GET="view",
        PATCH="manage",
        DELETE="manage",
        body=lambda w: {"name": "Cổng thông tin điện tử huyện"},
    ),
    "api/v1/activities/channels/<int:channel_id>/posts/<period>": R(
        lambda w: f"/api/v1/activities/channels/{w.channel.pk}/posts/202001", DELETE="manage"
    ),
    "api/v1/activities/inspection-plans/<int:plan_id>": R(
        lambda w: f"/api/v1/activities/inspection-plans/{w.plan.pk}",
        PATCH="manage",
        DELETE="manage",
        body=lambda w: {"title": "Kế hoạch kiểm tra, giám sát năm 2021"},
    ),
    "api/v1/activities/channels/<int:channel_id>/posts": R(
        lambda w: f"/api/v1/activities/channels/{w.channel.pk}/posts",
        POST="manage",
        body=lambda w: {"counts": [{"period": "202001", "posts": 12}]},
    ),
    "api/v1/activities/inspection-plans": R(
        lambda w: "/api/v1/activities/inspection-plans",
        POST="manage",
        body=lambda w: {"unit": "D1", "year": 2021, "title": "Kế hoạch kiểm tra năm 2021"},
    ),
    "api/v1/activities/inspections": R(
        lambda w: "/api/v1/activities/inspections?unit=D1&year=2021",
        GET="view",
        POST="manage",
        body=lambda w: {
            "unit": "D1",
            "inspected": "C1",
            "kind": "supervision",
            "title": "Giám sát",
            "start": "2021-06-01",
            "end": "2021-06-02",
        },
    ),
    "api/v1/activities/inspections/<int:inspection_id>": R(
        lambda w: f"/api/v1/activities/inspections/{w.inspection.pk}",
        GET="view",
        PATCH="manage",
        DELETE="manage",
        body=lambda w: {"title": "Kiểm tra việc thực hiện Nghị quyết 35"},
    ),
    "api/v1/activities/inspections/<int:inspection_id>/conclusion": R(
        lambda w: f"/api/v1/activities/inspections/{w.inspection.pk}/conclusion",
        POST="manage",
        body=lambda w: {"concluded": "2021-03-21", "findings": "Kết luận bổ sung"},
    ),
    "api/v1/activities/recommendations/<int:recommendation_id>/follow-up": R(
        lambda w: f"/api/v1/activities/recommendations/{w.recommendation.pk}/follow-up",
        POST="manage",
        body=lambda w: {"note": "Đã khắc phục", "resolved": "2021-05-02"},
    ),
    "api/v1/reports/templates": R(lambda w: "/api/v1/reports/templates", GET="any_logged_in"),
    "api/v1/reports": R(
        lambda w: "/api/v1/reports",
        POST="view",
        body=lambda w: {"template": "so-ket-6-thang", "unit": "HUT", "period": "2020S1"},
    ),
    # --- DHIS2 (/dhis2/api/): reads filtered to the caller's reach ---
    r"dhis2/api/^(?:\d{2}/)?organisationUnits(?:\.json)?$": R(
        lambda w: "/dhis2/api/organisationUnits?paging=false&fields=id,code,name",
        lists=True,
        GET="any_logged_in",
    ),
    r"dhis2/api/^(?:\d{2}/)?organisationUnits/(?P<uid>[^/]+?)(?:\.json)?$": R(
        lambda w: "/dhis2/api/organisationUnits/D1", refused=(404,), GET="view"
    ),
    r"dhis2/api/^(?:\d{2}/)?dataElements(?:\.json)?$": R(
        lambda w: "/dhis2/api/dataElements", GET="any_logged_in"
    ),
    r"dhis2/api/^(?:\d{2}/)?dataElements/(?P<uid>[^/]+?)(?:\.json)?$": R(
        lambda w: "/dhis2/api/dataElements/lop_da_mo", GET="any_logged_in"
    ),
    r"dhis2/api/^(?:\d{2}/)?dataSets(?:\.json)?$": R(
        lambda w: "/dhis2/api/dataSets?paging=false&fields=*", lists=True, GET="any_logged_in"
    ),
    r"dhis2/api/^(?:\d{2}/)?dataSets/(?P<uid>[^/]+?)(?:\.json)?$": R(
        lambda w: "/dhis2/api/dataSets/HK", refused=(404,), GET="view"
    ),
    r"dhis2/api/^(?:\d{2}/)?categoryCombos(?:\.json)?$": R(
        lambda w: "/dhis2/api/categoryCombos", GET="any_logged_in"
    ),
    r"dhis2/api/^(?:\d{2}/)?categoryCombos/(?P<uid>[^/]+?)(?:\.json)?$": R(
        lambda w: "/dhis2/api/categoryCombos/doi_tuong", GET="any_logged_in"
    ),
    r"dhis2/api/^(?:\d{2}/)?categoryOptionCombos(?:\.json)?$": R(
        lambda w: "/dhis2/api/categoryOptionCombos", GET="any_logged_in"
    ),
    r"dhis2/api/^(?:\d{2}/)?categoryOptionCombos/(?P<uid>[^/]+?)(?:\.json)?$": R(
        lambda w: "/dhis2/api/categoryOptionCombos/can_bo", GET="any_logged_in"
    ),
    r"dhis2/api/^(?:\d{2}/)?dataValueSets(?:\.(?P<suffix>json|adx))?$": R(lambda w: "/dhis2/api/dataValueSets.json?dataSet=HK&period=2020S1&orgUnit=C1", refused=DHIS2_REFUSED, GET="view", POST="enter", body=lambda w: {"dataSet": "HK", "period": "2020S1", "orgUnit": "C1", "dataValues": [{"dataElement": "lop_da_mo", "value": "1"}]}),
    r"dhis2/api/^(?:\d{2}/)?dataValues(?:\.json)?$": R(lambda w: "/dhis2/api/dataValues?de=lop_da_mo&pe=2020S1&ou=C1&value=1", refused=DHIS2_REFUSED, GET="view", POST="enter", DELETE="enter"),
    r"dhis2/api/^(?:\d{2}/)?completeDataSetRegistrations(?:\.json)?$": R(lambda w: "/dhis2/api/completeDataSetRegistrations?dataSet=HK&period=2020S1&orgUnit=C1", refused=DHIS2_REFUSED, GET="view", POST="enter", body=lambda w: {"completeDataSetRegistrations": [{"dataSet": "HK", "period": "2020S1", "organisationUnit": "C1"}]}),
    r"dhis2/api/^(?:\d{2}/)?analytics(?:\.json)?$": R(
        lambda w: "/dhis2/api/analytics?dimension=dx:lop_da_mo&dimension=pe:2020S1&dimension=ou:D1",
        GET="view",
    ),
    r"dhis2/api/^(?:\d{2}/)?system/info(?:\.json)?$": R(
        lambda w: "/dhis2/api/system/info", GET="any_logged_in"
    ),
    r"dhis2/api/^(?:\d{2}/)?me(?:\.json)?$": R(lambda w: "/dhis2/api/me", GET="any_logged_in"),
    # --- log-in, language ---
    "dang-nhap/": R(lambda w: "/dang-nhap/", GET="public", POST="public", PUT="public"),
    "dang-xuat/": R(lambda w: "/dang-xuat/", POST="public"),
    "i18n/setlang/": R(lambda w: "/i18n/setlang/", **ANYONE),
    # --- web pages ---
    "": R(lambda w: "/", GET="any_logged_in"),
    "viec-cua-toi/": R(lambda w: "/viec-cua-toi/", GET="any_logged_in", lists=True),
    "don-vi/": R(lambda w: "/don-vi/", lists=True, GET="any_logged_in"),
    "nhap-don-vi/": R(lambda w: "/nhap-don-vi/", outsider_ok=True, GET="manage", POST="manage"),
    "nhap-don-vi/mau.xlsx": R(lambda w: "/nhap-don-vi/mau.xlsx", outsider_ok=True, GET="manage"),
    "don-vi/<str:code>/": R(lambda w: "/don-vi/D1/", GET="view"),
    "don-vi/<str:code>/them-don-vi/": R(
        lambda w: "/don-vi/D1/them-don-vi/", GET="manage", POST="manage"
    ),
    "don-vi/<str:code>/thay-doi/": R(lambda w: "/don-vi/C1/thay-doi/", GET="manage", POST="manage"),
    "don-vi/<str:code>/giai-the/": R(lambda w: "/don-vi/C2/giai-the/", GET="manage", POST="manage"),
    "bao-cao/": R(lambda w: "/bao-cao/", lists=True, GET="any_logged_in"),
    "bao-cao/quan-tri/": R(lambda w: "/bao-cao/quan-tri/", outsider_ok=True, GET="manage"),
    "bao-cao/quan-tri/dem-don-vi/": R(lambda w: "/bao-cao/quan-tri/dem-don-vi/?owner=D1&level=1", GET="manage"),
    "bao-cao/quan-tri/bieu/<str:form_code>/thong-tin/": R(lambda w: "/bao-cao/quan-tri/bieu/HK/thong-tin/", POST="manage", body=lambda w: {"bieu-name": "Biểu", "bieu-period_type": "sixmonthly", "bieu-calendar": "gregorian", "bieu-deadline_days": "20"}),
    "bao-cao/quan-tri/bieu/<str:form_code>/xem-truoc/": R(lambda w: "/bao-cao/quan-tri/bieu/HK/xem-truoc/", GET="manage"),
    "bao-cao/quan-tri/bieu/<str:form_code>/thu-tu/": R(lambda w: "/bao-cao/quan-tri/bieu/HK/thu-tu/", POST="manage"),
    "bao-cao/quan-tri/chi-tieu/": R(lambda w: "/bao-cao/quan-tri/chi-tieu/", GET="global", POST="global"),
    "bao-cao/quan-tri/phan-to/": R(lambda w: "/bao-cao/quan-tri/phan-to/", GET="global", POST="global"),
    "bao-cao/quan-tri/chi-tieu/<str:code>/": R(lambda w: "/bao-cao/quan-tri/chi-tieu/lop_da_mo/", GET="global", POST="global"),
    "bao-cao/quan-tri/phan-to/<str:code>/": R(lambda w: "/bao-cao/quan-tri/phan-to/doi_tuong/", GET="global", POST="global"),
    "bao-cao/quan-tri/chi-tieu/<str:code>/xoa/": R(
        lambda w: "/bao-cao/quan-tri/chi-tieu/ghi_chu/xoa/", POST="global"
    ),
    "bao-cao/quan-tri/phan-to/<str:code>/xoa/": R(
        lambda w: "/bao-cao/quan-tri/phan-to/doi_tuong/xoa/", POST="global"
    ),
    "bao-cao/quan-tri/bieu/moi/": R(lambda w: "/bao-cao/quan-tri/bieu/moi/", outsider_ok=True, GET="manage", POST="manage"),
    "bao-cao/quan-tri/bieu/<str:form_code>/": R(lambda w: "/bao-cao/quan-tri/bieu/HK/", GET="manage"),
    "bao-cao/quan-tri/bieu/<str:form_code>/them-chi-tieu/": R(
        lambda w: "/bao-cao/quan-tri/bieu/HK/them-chi-tieu/", POST="manage"
    ),
    "bao-cao/quan-tri/bieu/<str:form_code>/bo-chi-tieu/": R(
        lambda w: "/bao-cao/quan-tri/bieu/HK/bo-chi-tieu/", POST="manage"
    ),
    "bao-cao/quan-tri/bieu/<str:form_code>/dieu-kien-gui/": R(lambda w: "/bao-cao/quan-tri/bieu/HK/dieu-kien-gui/", POST="manage"),
    "bao-cao/quan-tri/bieu/<str:form_code>/quy-tac/": R(
        lambda w: "/bao-cao/quan-tri/bieu/HK/quy-tac/", POST="manage"
    ),
    "bao-cao/quan-tri/bieu/<str:form_code>/quy-tac/<int:rule_id>/": R(
        lambda w: f"/bao-cao/quan-tri/bieu/HK/quy-tac/{w.rule.pk}/", POST="manage"
    ),
    "bao-cao/quan-tri/bieu/<str:form_code>/phan/": R(
        lambda w: "/bao-cao/quan-tri/bieu/HK/phan/", POST="manage"
    ),
    "bao-cao/quan-tri/bieu/<str:form_code>/phan/<int:section_id>/": R(
        lambda w: f"/bao-cao/quan-tri/bieu/HK/phan/{w.section.pk}/", POST="manage"
    ),
    "bao-cao/quan-tri/bieu/<str:form_code>/xep-chi-tieu/": R(
        lambda w: "/bao-cao/quan-tri/bieu/HK/xep-chi-tieu/", POST="manage"
    ),
    "bao-cao/quan-tri/bieu/<str:form_code>/don-vi/": R(
        lambda w: "/bao-cao/quan-tri/bieu/HK/don-vi/", POST="manage"
    ),
    "bao-cao/<str:form_code>/nhieu-don-vi/<str:period_id>/": R(lambda w: "/bao-cao/HK/nhieu-don-vi/2020S1/", GET="enter"),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/": R(
        lambda w: "/bao-cao/HK/C1/2020S1/", GET="view"
    ),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/luu/": R(
        lambda w: "/bao-cao/HK/C1/2020S1/luu/", POST="enter"
    ),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/lich-su/": R(lambda w: "/bao-cao/HK/C1/2020S1/lich-su/?chi_tieu=lop_da_mo", GET="view"),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/gui/": R(
        lambda w: "/bao-cao/HK/C1/2020S1/gui/", POST="enter"
    ),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/kiem-tra/": R(lambda w: "/bao-cao/HK/C1/2020S1/kiem-tra/?chi_tieu=lop_da_mo&gia_tri=3", GET="view"),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/giai-trinh/": R(lambda w: "/bao-cao/HK/C1/2020S1/giai-trinh/", POST="enter"),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/xem-xet/": R(lambda w: "/bao-cao/F6T/CBA/2020S1/xem-xet/", GET="manage"),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/theo-doi/": R(lambda w: "/bao-cao/F6T/CBA/2020S1/theo-doi/", POST="manage"),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/duyet/": R(
        lambda w: "/bao-cao/F6T/CBA/2020S1/duyet/", POST="manage"
    ),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/tra-lai/": R(lambda w: "/bao-cao/F6T/CBA/2020S1/tra-lai/", POST="manage", body=lambda w: {"tra_lai-comment": "Sửa lại"}),
    "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/mo-khoa/": R(lambda w: "/bao-cao/F6T/CBA/2020S1/mo-khoa/", POST="manage", body=lambda w: {"mo_khoa-comment": "Mở lại"}),
    "bao-cao/<str:form>/<str:unit>/<str:period>/excel/": R(lambda w: "/bao-cao/HK/C1/2020S1/excel/", GET="enter"),
    "bao-cao/<str:form>/<str:unit>/<str:period>/excel/tai-len/": R(
        lambda w: "/bao-cao/HK/C1/2020S1/excel/tai-len/", GET="enter", POST="enter"
    ),
    "du-lieu/<str:form>/<str:period>/": R(lambda w: "/du-lieu/HK/2020S1/", lists=True, outsider_ok=True, GET="view", POST="enter", body=lambda w: {"file": csv_file("form,unit,period,indicator,option,value\nHK,C1,2020S1,lop_da_mo,,1\n")}),
    "bao-cao/<str:form>/<str:unit>/<str:period>/tien-do/": R(
        lambda w: "/bao-cao/HK/D1/2020S1/tien-do/", GET="view"
    ),
    "bao-cao/<str:form>/<str:unit>/<str:period>/tien-do/nhac-nho.csv": R(
        lambda w: "/bao-cao/HK/D1/2020S1/tien-do/nhac-nho.csv", GET="view"
    ),
    # Not lists=True: the outsider's 403 page echoes the URL it was asked (the language
    # switch's "next"), which names D1; the API line below is read as the outsider.
    "chat-luong/": R(lambda w: "/chat-luong/?bieu=HK&don_vi=D1&tu=2020S1&den=2020S2", GET="view"),
    "chat-luong/chat-luong.xlsx": R(lambda w: "/chat-luong/chat-luong.xlsx?bieu=HK&don_vi=D1&tu=2020S1&den=2020S1", GET="view"),
    "chat-luong/ghi-chu/": R(lambda w: "/chat-luong/ghi-chu/", POST="manage", body=lambda w: {"bieu": "HK", "don_vi": "C1", "ky": "2020S1", "loai": "missing", "xu_ly": "resolve"}),
    "don-vi/<str:code>/vai-tro/": R(lambda w: "/don-vi/D1/vai-tro/", GET="manage", POST="manage"),
    "don-vi/<str:code>/vai-tro/<int:pk>/thu-hoi/": R(
        lambda w: f"/don-vi/D1/vai-tro/{w.role.pk}/thu-hoi/", POST="manage"
    ),
    # Activities: the list and an event's counts to viewers; creating (the outsider manages
    # D2: an event for D1 is refused on the form, 400), uploads and people to managers.
    "hoat-dong/": R(lambda w: "/hoat-dong/?don-vi=D1", GET="view"),
    "hoat-dong/moi/": R(lambda w: "/hoat-dong/moi/", outsider_ok=True, GET="manage", POST="manage", body=lambda w: {"title": "Lớp", "kind": "class", "organiser": "D1", "start": "01/03/2021"}),
    "hoat-dong/<int:pk>/": R(lambda w: f"/hoat-dong/{w.event.pk}/", GET="view"),
    "hoat-dong/<int:pk>/diem-danh/": R(lambda w: f"/hoat-dong/{w.event.pk}/diem-danh/", POST="manage", body=lambda w: {"file": csv_file("Buổi,Họ và tên,Mã đơn vị\n01/03/2021,Nguyễn Văn B,C1\n")}),
    "hoat-dong/<int:pk>/diem-cau/": R(lambda w: f"/hoat-dong/{w.conference.pk}/diem-cau/", POST="manage", body=lambda w: {"unit": "C2", "place": "Nhà văn hóa"}),
    "hoat-dong/diem-cau/<int:pk>/": R(lambda w: f"/hoat-dong/diem-cau/{w.site.pk}/", GET="manage", POST="manage", body=lambda w: {"place": "Hội trường", f"buoi-{w.conference.sessions.get().pk}": "30"}),
    "hoat-dong/diem-cau/<int:pk>/xoa/": R(lambda w: f"/hoat-dong/diem-cau/{w.site.pk}/xoa/", POST="manage"),
    "hoat-dong/<int:pk>/mau-diem-danh.xlsx": R(lambda w: f"/hoat-dong/{w.event.pk}/mau-diem-danh.xlsx", GET="manage"),
    "hoat-dong/nguoi/": R(lambda w: "/hoat-dong/nguoi/?don-vi=D1", GET="manage"),
    # Contests (issue 17): organisers' pages need CHANGE on the organiser; the viewer is the
    # entry's judge, so only they open "Bài được giao chấm" and the sheet (decision 0053).
    "cuoc-thi/": R(lambda w: "/cuoc-thi/", GET="any_logged_in", lists=True),
    "cuoc-thi/<int:pk>/": R(lambda w: f"/cuoc-thi/{w.contest.pk}/", GET="manage"),
    "cuoc-thi/<int:pk>/cham/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/cham/",
        GET="view",
        not_for=("reporter", "manager", "province_admin", "admin"),
    ),
    "cuoc-thi/<int:pk>/vong/<int:number>/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/vong/1/", GET="manage"
    ),
    "cuoc-thi/<int:pk>/vong/<int:number>/phan-cong/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/vong/1/phan-cong/", POST="manage"
    ),
    "cuoc-thi/<int:pk>/vong/<int:number>/ket-thuc/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/vong/1/ket-thuc/", POST="manage"
    ),
    "cuoc-thi/<int:pk>/vong/<int:number>/co-cau-giai/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/vong/1/co-cau-giai/",
        POST="manage",
        body=lambda w: {"giai-1-ten": "Giải Nhất", "giai-1-so": "1", "gui_cap_tren": "1"},
    ),
    "cuoc-thi/<int:pk>/vong/<int:number>/xet-giai/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/vong/1/xet-giai/", POST="manage"
    ),
    # Round 1 is open in the world: an organiser's choice gets the page with its 409.
    "cuoc-thi/<int:pk>/vong/<int:number>/chon-vao-vong-sau/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/vong/1/chon-vao-vong-sau/",
        GET="manage",
        POST="manage",
        body=lambda w: {"so": "1"},
    ),
    # The organiser's screens (decision 0062): CHANGE on the organiser and no judge of
    # the contest; a new contest for whoever may change some unit (the form asks which).
    "cuoc-thi/moi/": R(
        lambda w: "/cuoc-thi/moi/",
        GET="manage",
        POST="manage",
        outsider_ok=True,
        body=lambda w: {
            "title": "Cuộc thi",
            "unit": "D1",
            "opens": "01/03/2022",
            "closes": "30/09/2022",
            "vong-1-ten": "Sơ khảo",
            "vong-1-giam-khao": "1",
        },
    ),
    "cuoc-thi/<int:pk>/the-loai/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/the-loai/",
        GET="manage",
        POST="manage",
        body=lambda w: {"name": "Thơ"},
    ),
    "cuoc-thi/<int:pk>/giam-khao/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/giam-khao/",
        GET="manage",
        POST="manage",
        body=lambda w: {"user": "reporter", "round": "2", "cap": "5"},
    ),
    "cuoc-thi/<int:pk>/xung-dot/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/xung-dot/",
        POST="manage",
        body=lambda w: {"judge": str(w.users["viewer"].pk), "unit": "C1"},
    ),
    "cuoc-thi/<int:pk>/bai-du-thi/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/bai-du-thi/",
        GET="manage",
        POST="manage",
        body=lambda w: {
            "file": SimpleUploadedFile("bai.png", png_file(11), "image/png"),
            "title": "Bài dự thi khác",
            "author_name": "Trần Thị B",
            "unit": "C1",
        },
    ),
    "cuoc-thi/<int:pk>/bai-du-thi/<int:entry_id>/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/bai-du-thi/{w.entry.pk}/", GET="manage"
    ),
    "cuoc-thi/<int:pk>/bai-du-thi/<int:entry_id>/loai/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/bai-du-thi/{w.entry.pk}/loai/",
        POST="manage",
        body=lambda w: {"reason": "Sao chép bài đã đăng"},
    ),
    "cuoc-thi/<int:pk>/vong/<int:number>/quyet-dinh/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/vong/1/quyet-dinh/",
        GET="manage",
        POST="manage",
        body=lambda w: {"date": "01/10/2022", "signer": "A", "signer_authority": "tm"},
    ),
    "cuoc-thi/<int:pk>/vong/<int:number>/giay-chung-nhan/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/vong/1/giay-chung-nhan/",
        POST="manage",
        body=lambda w: {"signer_position": "Chủ tịch"},
    ),
    "cuoc-thi/<int:pk>/giay-chung-nhan/<int:certificate_id>/thu-hoi/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/giay-chung-nhan/{w.prize_certificate.pk}/thu-hoi/",
        GET="manage",
        POST="manage",
        body=lambda w: {"ly_do": "Cấp nhầm"},
    ),
    "cuoc-thi/<int:pk>/vong/<int:number>/bai/<int:entry_id>/": R(
        lambda w: f"/cuoc-thi/{w.contest.pk}/vong/1/bai/{w.entry.pk}/",
        GET="view",
        POST="view",
        not_for=("reporter", "manager", "province_admin", "admin"),
        body=lambda w: {f"tieu-chi-{w.contest.criteria.get().pk}": "45"},
    ),
    "hoat-dong/nguoi/<int:pk>/": R(lambda w: f"/hoat-dong/nguoi/{w.person.pk}/", GET="manage"),
    "hoat-dong/nguoi/<int:pk>/du-lieu.json": R(lambda w: f"/hoat-dong/nguoi/{w.person.pk}/du-lieu.json", GET="manage"),
    "hoat-dong/nguoi/<int:pk>/du-lieu.xlsx": R(lambda w: f"/hoat-dong/nguoi/{w.person.pk}/du-lieu.xlsx", GET="manage"),
    "hoat-dong/nguoi/<int:pk>/xoa/": R(lambda w: f"/hoat-dong/nguoi/{w.person.pk}/xoa/", POST="manage", body=lambda w: {"xac_nhan": "1"}),
    # Commendation pages (decision 0057): nominating side (C1) and giver (D1) are D1's managers.
    "khen-thuong/": R(lambda w: "/khen-thuong/?don-vi=D1", GET="view"),
    "khen-thuong/de-nghi/moi/": R(lambda w: "/khen-thuong/de-nghi/moi/", GET="manage", POST="manage", outsider_ok=True, body=lambda w: {"kind": "giay_khen_ban_dang", "giver": "D1", "recipient_unit": "C2", "year": "2023", "achievement": "Dẫn đầu phong trào"}),
    "khen-thuong/de-nghi/<int:pk>/": R(lambda w: f"/khen-thuong/de-nghi/{w.nomination.pk}/", GET="view"),
    "khen-thuong/de-nghi/<int:pk>/dong-y/": R(lambda w: f"/khen-thuong/de-nghi/{w.nomination.pk}/dong-y/", POST="manage"),
    "khen-thuong/de-nghi/<int:pk>/tra-lai/": R(lambda w: f"/khen-thuong/de-nghi/{w.nomination.pk}/tra-lai/", POST="manage", body=lambda w: {"tra-lai-reason": "Thiếu biên bản"}),
    "khen-thuong/de-nghi/<int:pk>/khong-dong-y/": R(lambda w: f"/khen-thuong/de-nghi/{w.nomination.pk}/khong-dong-y/", POST="manage", body=lambda w: {"khong-dong-y-reason": "Chưa đủ tiêu chuẩn"}),
    "khen-thuong/de-nghi/<int:pk>/trinh-lai/": R(lambda w: f"/khen-thuong/de-nghi/{w.nomination.pk}/trinh-lai/", POST="manage", body=lambda w: {"achievement": "Hoàn thành xuất sắc nhiệm vụ năm 2023"}),
    "khen-thuong/de-nghi/<int:pk>/ho-so/": R(lambda w: f"/khen-thuong/de-nghi/{w.nomination.pk}/ho-so/", POST="manage", body=lambda w: {"role": "khac", "file": png_upload()}),
    "khen-thuong/ho-so/<int:pk>/": R(lambda w: f"/khen-thuong/ho-so/{w.dossier.pk}/", GET="manage"),
    "khen-thuong/xet-duyet/": R(lambda w: "/khen-thuong/xet-duyet/?don-vi=D1", GET="manage"),
    "khen-thuong/quyet-dinh/": R(lambda w: "/khen-thuong/quyet-dinh/", POST="manage", body=lambda w: {"don-vi": "D1", "de-nghi": [str(w.nomination.pk)], "date": "20/12/2023", "signer_authority": "tm", "signer": "Lê Văn Ký", "recipients": "Lưu Văn phòng"}),
    "khen-thuong/so/": R(lambda w: "/khen-thuong/so/?don-vi=D1", GET="view"),
    "khen-thuong/tap-the/<str:code>/": R(lambda w: "/khen-thuong/tap-the/C1/", GET="view"),
    "khen-thuong/ca-nhan/<int:pk>/": R(lambda w: f"/khen-thuong/ca-nhan/{w.nomination.individual_id}/", GET="manage"),
    "khen-thuong/ca-nhan/<int:pk>/xoa/": R(lambda w: f"/khen-thuong/ca-nhan/{w.nomination.individual_id}/xoa/", POST="manage", body=lambda w: {"xac_nhan": "1"}),
    "hoat-dong/<int:pk>/giay-chung-nhan/": R(lambda w: f"/hoat-dong/{w.event.pk}/giay-chung-nhan/", GET="manage"),
    "hoat-dong/<int:pk>/giay-chung-nhan/cap/": R(lambda w: f"/hoat-dong/{w.event.pk}/giay-chung-nhan/cap/", POST="manage", body=lambda w: {"ngay": "10/03/2021", "chuc_vu": "CHỦ TỊCH"}),
    "hoat-dong/<int:pk>/giay-chung-nhan/dieu-kien/": R(lambda w: f"/hoat-dong/{w.event.pk}/giay-chung-nhan/dieu-kien/", POST="manage", body=lambda w: {"so_buoi": "1"}),
    "hoat-dong/<int:pk>/giay-chung-nhan/phan-<int:part>.pdf": R(lambda w: f"/hoat-dong/{w.event.pk}/giay-chung-nhan/phan-1.pdf", GET="manage"),
    "hoat-dong/giay-chung-nhan/<int:pk>/": R(lambda w: f"/hoat-dong/giay-chung-nhan/{w.certificate.pk}/", GET="manage"),
    "hoat-dong/giay-chung-nhan/<int:pk>/tep.pdf": R(lambda w: f"/hoat-dong/giay-chung-nhan/{w.certificate.pk}/tep.pdf", GET="manage"),
    "hoat-dong/giay-chung-nhan/<int:pk>/thu-hoi/": R(lambda w: f"/hoat-dong/giay-chung-nhan/{w.certificate.pk}/thu-hoi/", POST="manage", body=lambda w: {"ly_do": "Cấp nhầm"}),
    # Registers' pages: counts to viewers; members' names, templates and every write to
    # managers of the unit (the outsider manages D2: a D1 unit is refused on the form, 400).
    "hoat-dong/tu-duong/": R(lambda w: "/hoat-dong/tu-duong/?don-vi=D1", GET="view"),
    "hoat-dong/tu-duong/nhap/": R(lambda w: "/hoat-dong/tu-duong/nhap/", outsider_ok=True, GET="manage", POST="manage", body=lambda w: {"unit": "C1", "year": "2020", "deadline": "15/04/2020", "file": csv_file("Họ và tên,Ngày nộp\nLê Văn Bảy,03/03/2020\n")}),
    "hoat-dong/tu-duong/mau.xlsx": R(lambda w: "/hoat-dong/tu-duong/mau.xlsx?don-vi=C1&nam=2020", GET="manage"),
    "hoat-dong/kenh/": R(lambda w: "/hoat-dong/kenh/?don-vi=D1", GET="view"),
    "hoat-dong/kenh/moi/": R(lambda w: "/hoat-dong/kenh/moi/", outsider_ok=True, GET="manage", POST="manage", body=lambda w: {"unit": "D1", "kind": "radio", "name": "Đài truyền thanh huyện", "active_from": "01/01/2018"}),
    "hoat-dong/kenh/<int:pk>/": R(lambda w: f"/hoat-dong/kenh/{w.channel.pk}/", GET="view"),
    "hoat-dong/kenh/<int:pk>/sua/": R(lambda w: f"/hoat-dong/kenh/{w.channel.pk}/sua/", GET="manage", POST="manage", body=lambda w: {"kind": "website", "name": "Cổng thông tin điện tử huyện", "address": "https://huyen.example.vn", "active_from": "01/01/2018"}),
    "hoat-dong/kenh/<int:pk>/xoa/": R(lambda w: f"/hoat-dong/kenh/{w.channel.pk}/xoa/", POST="manage"),
    "hoat-dong/kenh/<int:pk>/so-tin-bai/xoa/": R(lambda w: f"/hoat-dong/kenh/{w.channel.pk}/so-tin-bai/xoa/", POST="manage", body=lambda w: {"ky": "202001"}),
    "hoat-dong/kenh/<int:pk>/so-tin-bai/": R(lambda w: f"/hoat-dong/kenh/{w.channel.pk}/so-tin-bai/", POST="manage", body=lambda w: {"period": "Tháng 1/2020", "posts": "12"}),
    "hoat-dong/kenh/<int:pk>/nhap/": R(lambda w: f"/hoat-dong/kenh/{w.channel.pk}/nhap/", POST="manage", body=lambda w: {"file": csv_file("Kỳ,Số tin bài\n02/2020,5\n")}),
    "hoat-dong/kenh/<int:pk>/mau.xlsx": R(lambda w: f"/hoat-dong/kenh/{w.channel.pk}/mau.xlsx?nam=2020", GET="manage"),
    "ban-chi-dao/": R(lambda w: "/ban-chi-dao/?don-vi=HUT", GET="view"),
    "ban-chi-dao/<int:pk>/": R(lambda w: f"/ban-chi-dao/{w.committee.pk}/?ngay=01/01/2020", GET="view"),
    "ban-chi-dao/moi/": R(lambda w: "/ban-chi-dao/moi/?don-vi=HUT", GET="manage", POST="manage", body=lambda w: {"unit": "HUT", "name": "BCĐ", "founded": "01/09/2019"}),
    "ban-chi-dao/<int:pk>/ket-thuc/": R(lambda w: f"/ban-chi-dao/{w.committee.pk}/ket-thuc/", GET="manage", POST="manage", body=lambda w: {"on": "01/01/2021"}),
    "ban-chi-dao/<int:pk>/thanh-vien/moi/": R(lambda w: f"/ban-chi-dao/{w.committee.pk}/thanh-vien/moi/", GET="manage", POST="manage", body=lambda w: {"name": "Hà Thị Lan", "role": "member", "valid_from": "01/09/2019"}),
    "ban-chi-dao/<int:pk>/thanh-vien/<int:seat>/thay-doi/": R(lambda w: f"/ban-chi-dao/{w.committee.pk}/thanh-vien/{w.seat.pk}/thay-doi/", GET="manage", POST="manage", body=lambda w: {"on": "01/01/2020", "role": "head"}),
    "ban-chi-dao/<int:pk>/thanh-vien/<int:seat>/thoi/": R(lambda w: f"/ban-chi-dao/{w.committee.pk}/thanh-vien/{w.seat.pk}/thoi/", GET="manage", POST="manage", body=lambda w: {"on": "01/01/2020"}),
    "ban-chi-dao/<int:pk>/nguoi/<int:person>/xoa/": R(lambda w: f"/ban-chi-dao/{w.committee.pk}/nguoi/{w.seat.person_id}/xoa/", GET="manage", POST="manage"),
    "ban-chi-dao/<int:pk>/hop/moi/": R(lambda w: f"/ban-chi-dao/{w.committee.pk}/hop/moi/", GET="manage", POST="manage", body=lambda w: {"date": "01/06/2020", "kind": "regular", "title": "Họp"}),
    "ban-chi-dao/<int:pk>/hop/<int:meeting>/bien-ban/": R(lambda w: f"/ban-chi-dao/{w.committee.pk}/hop/{w.meeting.pk}/bien-ban/", GET="manage", POST="manage", body=lambda w: {"minutes": "1-BB/HU"}),
    "ban-chi-dao/<int:pk>/hop/<int:meeting>/ket-luan/": R(lambda w: f"/ban-chi-dao/{w.committee.pk}/hop/{w.meeting.pk}/ket-luan/", GET="manage", POST="manage", body=lambda w: {"task": "Báo cáo", "unit": "C1", "due": "01/09/2020"}),
    "hoat-dong/kiem-tra/": R(lambda w: "/hoat-dong/kiem-tra/?don-vi=D1&nam=2021", GET="view"),
    "hoat-dong/kiem-tra/ke-hoach/moi/": R(lambda w: "/hoat-dong/kiem-tra/ke-hoach/moi/", outsider_ok=True, GET="manage", POST="manage", body=lambda w: {"unit": "D1", "year": "2021", "title": "Kế hoạch kiểm tra năm 2021"}),
    "hoat-dong/kiem-tra/moi/": R(lambda w: "/hoat-dong/kiem-tra/moi/", outsider_ok=True, GET="manage", POST="manage", body=lambda w: {"unit": "D1", "inspected": "C1", "kind": "supervision", "title": "Giám sát", "start": "01/06/2021"}),
    "hoat-dong/kiem-tra/<int:pk>/": R(lambda w: f"/hoat-dong/kiem-tra/{w.inspection.pk}/", GET="view"),
    "hoat-dong/kiem-tra/ke-hoach/<int:pk>/sua/": R(lambda w: f"/hoat-dong/kiem-tra/ke-hoach/{w.plan.pk}/sua/", GET="manage", POST="manage", body=lambda w: {"title": "Kế hoạch kiểm tra năm 2021", "reference": "05-KH/HU"}),
    "hoat-dong/kiem-tra/<int:pk>/sua/": R(lambda w: f"/hoat-dong/kiem-tra/{w.inspection.pk}/sua/", GET="manage", POST="manage", body=lambda w: {"inspected": "C1", "kind": "supervision", "title": "Giám sát", "start": "01/03/2021", "end": "02/03/2021"}),
    "hoat-dong/kiem-tra/ke-hoach/<int:pk>/xoa/": R(lambda w: f"/hoat-dong/kiem-tra/ke-hoach/{w.plan.pk}/xoa/", POST="manage"),
    "hoat-dong/kiem-tra/<int:pk>/xoa/": R(lambda w: f"/hoat-dong/kiem-tra/{w.inspection.pk}/xoa/", POST="manage"),
    "hoat-dong/kiem-tra/<int:pk>/ket-luan/": R(lambda w: f"/hoat-dong/kiem-tra/{w.inspection.pk}/ket-luan/", POST="manage", body=lambda w: {"concluded": "21/03/2021", "findings": "Kết luận bổ sung"}),
    "hoat-dong/kien-nghi/<int:pk>/": R(lambda w: f"/hoat-dong/kien-nghi/{w.recommendation.pk}/", POST="manage", body=lambda w: {"note": "Đã khắc phục", "resolved": "02/05/2021"}),
    "hoat-dong/buoi/<int:pk>/diem-danh/": R(lambda w: f"/hoat-dong/buoi/{w.check_in_session.pk}/diem-danh/", GET="manage"),
    "hoat-dong/buoi/<int:pk>/diem-danh/ma/": R(lambda w: f"/hoat-dong/buoi/{w.check_in_session.pk}/diem-danh/ma/", POST="manage", body=lambda w: {"viec": "mo", "gio": "3"}),
    "hoat-dong/buoi/<int:pk>/diem-danh/gui/": R(lambda w: f"/hoat-dong/buoi/{w.check_in_session.pk}/diem-danh/gui/", POST="manage"),
    "hoat-dong/buoi/<int:pk>/diem-danh/co-mat/": R(lambda w: f"/hoat-dong/buoi/{w.check_in_session.pk}/diem-danh/co-mat/", POST="manage", body=lambda w: {"name": "Nguyễn Văn Mới", "unit": "C1"}),
    "hoat-dong/buoi/<int:pk>/diem-danh/bo/": R(lambda w: f"/hoat-dong/buoi/{w.check_in_session.pk}/diem-danh/bo/", POST="manage", body=lambda w: {"nguoi": "1"}),
    "diem-danh/": R(lambda w: "/diem-danh/", GET="public"),
    "diem-danh/<str:code>/": R(lambda w: f"/diem-danh/{w.check_in_session.check_in_code}/", GET="public", POST="public", body=lambda w: {"name": "Lê Văn B", "unit": "C1"}),
    "hoat-dong/buoi/<int:pk>/diem-danh/don-vi/": R(lambda w: f"/hoat-dong/buoi/{w.check_in_session.pk}/diem-danh/don-vi/?q=vinh", GET="manage"),
    "diem-danh/<str:code>/don-vi/": R(lambda w: f"/diem-danh/{w.check_in_session.check_in_code}/don-vi/?q=vinh", GET="public"),
    "xac-minh/": R(lambda w: "/xac-minh/", GET="public"),
    "xac-minh/<str:code>/": R(lambda w: f"/xac-minh/{w.certificate.code_shown}/", GET="public"),
    "van-ban/": R(lambda w: "/van-ban/", lists=True, GET="any_logged_in"),
    "van-ban/so/<str:unit_code>/<str:book>/<int:year>/": R(
        lambda w: "/van-ban/so/HUT/di/2020/", GET="view"
    ),
    "van-ban/so/<str:unit_code>/<str:book>/<int:year>/xlsx/": R(
        lambda w: "/van-ban/so/HUT/di/2020/xlsx/", GET="view"
    ),
    "van-ban/<int:pk>/": R(lambda w: f"/van-ban/{w.directive.pk}/", GET="view"),
    "van-ban/<int:pk>/ban-hanh/": R(lambda w: f"/van-ban/{w.draft.pk}/ban-hanh/", POST="manage"),
    "van-ban/<int:pk>/sua/": R(
        lambda w: f"/van-ban/{w.draft.pk}/sua/",
        GET="manage",
        POST="manage",
        body=lambda w: {"date": "29/06/2020", "summary": "Dự thảo", "recipients": "Lưu"},
    ),
    "van-ban/<int:pk>/dinh-kem/": R(
        lambda w: f"/van-ban/{w.draft.pk}/dinh-kem/",
        POST="manage",
        body=lambda w: {"file": png_upload()},
    ),
    "van-ban/<int:pk>/dinh-kem/<int:attachment_id>/": R(
        lambda w: f"/van-ban/{w.directive.pk}/dinh-kem/{w.attachment.pk}/", GET="view"
    ),
    "van-ban/<int:pk>/dong-dau/": R(lambda w: f"/van-ban/{w.directive.pk}/dong-dau/", POST="manage"),
    "van-ban/<int:pk>/ban-sao/": R(lambda w: f"/van-ban/{w.directive.pk}/ban-sao/", POST="manage"),
    "van-ban/<int:pk>/ky-so/": R(lambda w: f"/van-ban/{w.directive.pk}/ky-so/", POST="manage"),
    "van-ban/<int:pk>/giao/": R(
        lambda w: f"/van-ban/{w.directive.pk}/giao/", GET="manage", POST="manage"
    ),
    "van-ban/<int:pk>/trien-khai/": R(
        lambda w: f"/van-ban/{w.directive.pk}/trien-khai/", GET="view"
    ),
    "van-ban/<int:pk>/tra-loi/<str:unit_code>/": R(
        lambda w: f"/van-ban/{w.directive.pk}/tra-loi/CBA/", GET="manage", POST="manage"
    ),
    "van-ban/don-vi/<str:unit_code>/du-thao/": R(
        lambda w: "/van-ban/don-vi/BTGT/du-thao/", GET="manage", POST="manage"
    ),
    "van-ban/don-vi/<str:unit_code>/van-ban-den/": R(
        lambda w: "/van-ban/don-vi/BTGT/van-ban-den/", GET="manage", POST="manage"
    ),
    "van-ban/don-vi/<str:unit_code>/nhap-edxml/": R(
        lambda w: "/van-ban/don-vi/BTGT/nhap-edxml/", GET="manage", POST="manage", body=lambda w: {"file": edxml_upload(w)}
    ),
    "van-ban/don-vi/<str:unit_code>/duoc-giao/": R(
        lambda w: "/van-ban/don-vi/CBA/duoc-giao/", GET="view"
    ),
    "phan-tich/": R(lambda w: "/phan-tich/", lists=True, GET="any_logged_in"),
    "phan-tich/bang.xlsx": R(lambda w: "/phan-tich/bang.xlsx", GET="any_logged_in"),
    "phan-tich/bang.csv": R(lambda w: "/phan-tich/bang.csv", lists=True, GET="any_logged_in"),
    "phan-tich/so-sanh/": R(lambda w: "/phan-tich/so-sanh/", lists=True, GET="any_logged_in"),
    "phan-tich/bieu-do/": R(lambda w: "/phan-tich/bieu-do/", lists=True, GET="any_logged_in"),
    "phan-tich/ban-do/": R(lambda w: "/phan-tich/ban-do/", lists=True, GET="any_logged_in"),
    "soan-bao-cao/": R(lambda w: "/soan-bao-cao/", lists=True, GET="any_logged_in"),
    "soan-bao-cao/tao/": R(lambda w: "/soan-bao-cao/tao/", POST="any_logged_in"),
    "soan-bao-cao/<int:pk>/": R(
        lambda w: f"/soan-bao-cao/{w.report.pk}/", GET="view", POST="manage"
    ),
    "soan-bao-cao/<int:pk>/xem-truoc/": R(
        lambda w: f"/soan-bao-cao/{w.report.pk}/xem-truoc/", GET="view"
    ),
    "soan-bao-cao/<int:pk>/tep.<str:fmt>": R(
        lambda w: f"/soan-bao-cao/{w.report.pk}/tep.docx", GET="view"
    ),
    # Without xac_nhan=1 the page only asks (the report stays for the next persona).
    "soan-bao-cao/<int:pk>/xoa/": R(lambda w: f"/soan-bao-cao/{w.report.pk}/xoa/", POST="manage"),
    "soan-bao-cao/<int:pk>/ban-hanh/": R(
        lambda w: f"/soan-bao-cao/{w.report.pk}/ban-hanh/", POST="manage"
    ),
}
# fmt: on


def test_it_has_one_entry_per_url_pattern():
    missing = [r for r in authz.routes() if r not in MATRIX]
    assert not missing, (
        "URL patterns without an entry: add them to MATRIX in tests/test_authorization_matrix.py: "
        + ", ".join(missing)
    )
    stale = [r for r in MATRIX if r not in authz.routes()]
    assert not stale, f"entries for patterns that no longer exist: {stale}"


@pytest.mark.parametrize("part", ["api", "dhis2", "web"])
def test_it_answers_each_persona_as_the_matrix_says(world, part):
    routes = [r for r in authz.routes() if authz.kind(r) == part and r in MATRIX]
    matrix = authz.Matrix(MATRIX, world, world.sessions, watched=world.watched)
    outcome = matrix.run(routes)
    print(f"{part}: {len(routes)} patterns, {outcome.requests} requests")
    assert not outcome.failures, "\n".join(outcome.failures)
    assert not outcome.xpassed, f"marked xfail but answered as the matrix says: {outcome.xpassed}"


CONTEST_ROUTES = ("api/v1/contests/<int:contest_id>/", "cuoc-thi/<int:pk>/")


def test_a_judge_who_manages_the_organiser_reads_only_their_pile(world):
    """GIVEN a manager of D1 who judges round 1 of D1's contest, its entry assigned to them
    WHEN they ask every page and endpoint of that contest THEN what needs ``manage`` (the
    organiser's) refuses them, 403 (decision 0053), and their judging ones answer."""
    routes = [r for r in authz.routes() if r.startswith(CONTEST_ROUTES) and r in MATRIX]
    assert "cuoc-thi/<int:pk>/cham/" in routes and len(routes) > 30
    matrix = authz.Matrix(MATRIX, world, world.sessions, watched=world.watched)
    outcome = matrix.run(routes, personas=(authz.JUDGING_MANAGER,))
    assert not outcome.failures, "\n".join(outcome.failures)


def test_it_keeps_the_admin_to_superusers(world):
    """No persona (all without is_superuser) gets a page of Django's admin."""
    for persona in authz.PERSONAS:
        for url in ("/admin/", "/admin/orgs/unit/", "/admin/accounts/user/"):
            response = world.sessions.send(persona.name, "admin/", "GET", url)
            assert response.status_code != 200, (persona.name, url)
            assert response.status_code < 500


def test_it_lists_no_other_district_s_drafts(world, web):
    """GIVEN a draft report of D1's committee WHEN the outsider opens the drafting list
    THEN neither its unit nor its issuer is named (and the viewer of D1 sees it)."""
    page = web(world.users["outsider"]).get("/soan-bao-cao/").content.decode()
    assert not authz.leaks(page, *world.secrets)
    assert "HUT" in web(world.users["viewer"]).get("/soan-bao-cao/").content.decode()


def test_it_lists_forms_with_only_the_units_the_reader_may_view(world, api):
    """GET /api/v1/forms: the outsider sees no form of D1; a reporter of C1 sees HK with C1
    alone; the manager of D1 sees both cells."""
    from tests import factories as f

    assert api(world.users["outsider"]).get("forms").json() == []
    cell = f.make_user("cell_reporter", unit=world.org.c1, role="reporter")
    forms = {f["code"]: f for f in api(cell).get("forms").json()}
    assert list(forms) == ["HK"] and forms["HK"]["units"] == ["C1"]
    forms = {f["code"]: f for f in api(world.users["manager"]).get("forms").json()}
    assert forms["HK"]["units"] == ["C1", "C2"] and "F6T" in forms


def test_its_check_of_refused_writes_sees_a_row_more(org):
    """The counts in one statement (authz.tables) see what the ORM's count sees."""
    from trienkhai.accounts.models import RoleAssignment
    from trienkhai.orgs.models import Unit

    before = authz.tables([Unit, RoleAssignment])
    f.make_unit("C9", parent=org.d1)
    after = authz.tables([Unit, RoleAssignment])
    assert after[Unit._meta.label] == before[Unit._meta.label] + 1 == Unit.objects.count()
    assert after[RoleAssignment._meta.label] == RoleAssignment.objects.count()
