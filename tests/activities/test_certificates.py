"""Certificates (activities/certificates.py): who may have one, numbers per organiser and
year in the order of the names, one valid certificate per person and event, codes of 80
random bits, revocation with a reason, erasure, and the brake on guessing codes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests import factories as f
from tests.activities.conftest import attend, make_event
from tests.factories import SYSTEM
from trienkhai.activities import certificates, people
from trienkhai.activities.models import Certificate, CertificateSeries, Event, Person
from trienkhai.common.errors import BadInput, Conflict

DAY = dt.date(2021, 3, 10)


pytestmark = pytest.mark.usefixtures("fresh_brake")


def person(name: str) -> Person:
    return Person.objects.get(name=name)


@pytest.fixture
def course(org):
    """D1's class of three sessions: An (C1) at all three, Bình (C2) at two, Cường (C1)
    at one."""
    event = make_event(org.d1, days=("2021-03-01", "2021-03-02", "2021-03-03"))
    attend(event, ["Nguyễn Văn An", "Trần Cường"], unit=org.c1)
    attend(event, ["Lê Thị Bình"], unit=org.c2)
    attend(event, ["Nguyễn Văn An"], session=1, unit=org.c1)
    attend(event, ["Lê Thị Bình"], session=1, unit=org.c2)
    attend(event, ["Nguyễn Văn An"], session=2, unit=org.c1)
    return event


def issue(event, people=None, day=DAY, **kwargs):
    return certificates.issue(
        acting_user=SYSTEM,
        event=event,
        people=people,
        day=day,
        signer_position=kwargs.pop("signer_position", "Chủ tịch"),
        **kwargs,
    )


def test_it_gives_certificates_to_whoever_attended_every_session_by_default(course):
    """GIVEN no rule WHEN everyone is issued THEN only An (3/3) is; Bình (2/3) and Cường
    (1/3) are not eligible."""
    made = issue(course)
    assert [(c.name, c.sessions_attended, c.sessions_held) for c in made] == [
        ("Nguyễn Văn An", 3, 3)
    ]
    roll = certificates.candidates(course)
    assert (roll.held, roll.needed, roll.eligible, len(roll.to_issue)) == (3, 3, 1, 0)


def test_it_numbers_per_organiser_and_year_in_the_order_of_the_given_names(org, course):
    """GIVEN the rule "at least 2 sessions" WHEN D1 issues everyone on 10/03/2021, then a
    second class the next day, then one on 05/01/2022, and C1 one of its own THEN D1's
    2021 series runs 01, 02 (An before Bình: given names), 03; 2022 and C1 start at 01;
    each number printed the State's way with the organiser's abbreviation (HU)."""
    certificates.set_rule(acting_user=SYSTEM, event=course, sessions=2)
    first = issue(course)
    assert [(c.name, c.number, c.symbol) for c in first] == [
        ("Nguyễn Văn An", 1, "01/GCN-HU"),
        ("Lê Thị Bình", 2, "02/GCN-HU"),
    ]
    second = make_event(org.d1, days=("2021-03-05",), title="Hội nghị")
    attend(second, ["Phạm Dũng"])
    assert [c.symbol for c in issue(second, day=dt.date(2021, 3, 11))] == ["03/GCN-HU"]
    third = make_event(org.d1, days=("2021-12-30",), title="Lớp cuối năm")
    attend(third, ["Phạm Dũng"])
    (made,) = issue(third, day=dt.date(2022, 1, 5))
    assert (made.year, made.number, made.symbol) == (2022, 1, "01/GCN-HU")
    own = make_event(org.c1, days=("2021-03-05",), title="Sinh hoạt")
    attend(own, ["Hồ Văn Em"])
    (made,) = issue(own)
    assert (made.number, made.symbol) == (1, "01/GCN")  # C1 has no abbreviation
    series = CertificateSeries.objects.values_list("organiser__code", "year", "last_number")
    assert set(series) == {("D1", 2021, 3), ("D1", 2022, 1), ("C1", 2021, 1)}


def test_it_prints_what_the_paper_shows_as_it_was_on_the_day_of_issue(org, course):
    made = issue(course, signer_position="phó chủ tịch", signer_name="Lê Văn Ký")[0]
    assert made.organiser_name == "Huyện Vĩnh Thuận"
    assert made.unit_name == "Thị trấn Vĩnh Thuận"
    assert (made.title, made.kind, made.start, made.end) == (
        "Lớp bồi dưỡng lý luận",
        "class",
        dt.date(2021, 3, 1),
        dt.date(2021, 3, 3),
    )
    assert (made.issued, made.issued_place, made.layout) == (DAY, "Vĩnh Thuận", "state")
    assert (made.signer_position, made.signer_name) == ("PHÓ CHỦ TỊCH", "Lê Văn Ký")
    assert made.superior == "TỈNH KIÊN GIANG"
    assert made.issuer == "HUYỆN VĨNH THUẬN"


def test_a_party_organiser_prints_the_party_s_number_and_from_2026_its_new_rules(org):
    committee = f.make_unit(
        "HU-VT", name="Huyện ủy Vĩnh Thuận", kind_code="party_committee", abbreviation="HU"
    )
    event = make_event(committee, days=("2025-12-01",))
    attend(event, ["Nguyễn Văn An", "Lê Thị Bình"])
    first = issue(event, [person("Nguyễn Văn An")], day=dt.date(2025, 12, 31))[0]
    later = issue(event, [person("Lê Thị Bình")], day=dt.date(2026, 1, 9))[0]
    assert (first.layout, first.symbol) == ("party", "01-GCN/HU")
    assert (later.layout, later.symbol) == ("party-2026", "01-GCN/HU")  # a new year


def test_it_refuses_one_who_did_not_attend_enough_and_issues_nothing(course):
    with pytest.raises(BadInput) as refused:
        issue(course, [person("Nguyễn Văn An"), person("Trần Cường")])
    assert refused.value.code == "not_eligible"
    cuong = person("Trần Cường").pk
    assert refused.value.details == [
        {"person": cuong, "problem": "dự 1/3 buổi, cần 3 / attended 1 of 3 sessions, 3 needed"}
    ]
    assert not Certificate.objects.exists()
    assert not CertificateSeries.objects.filter(last_number__gt=0).exists()


def test_it_gives_one_valid_certificate_per_person_and_event(course):
    (made,) = issue(course)
    with pytest.raises(Conflict) as nobody:
        issue(course)
    assert nobody.value.code == "nothing_to_issue"
    with pytest.raises(BadInput, match="đã có giấy chứng nhận số 01/GCN-HU"):
        issue(course, [person("Nguyễn Văn An")])
    assert Certificate.objects.count() == 1
    certificates.revoke(acting_user=SYSTEM, certificate=made, reason="In sai tên đơn vị")
    (again,) = issue(course, [person("Nguyễn Văn An")])
    assert (again.number, again.code != made.code) == (2, True)  # never a number twice


def test_it_refuses_a_day_before_the_end_or_after_today_and_a_signer_missing(course):
    for day in (dt.date(2021, 3, 2), dt.date.today() + dt.timedelta(days=2)):
        with pytest.raises(BadInput) as refused:
            issue(course, day=day)
        assert refused.value.code == "invalid_date"
    with pytest.raises(BadInput) as refused:
        issue(course, signer_position="  ")
    assert refused.value.code == "missing_signer"
    assert not Certificate.objects.exists()


def test_only_who_may_change_the_organiser_issues_revokes_and_sets_the_rule(personas, course):
    for user in (personas.outsider, personas.viewer, personas.reporter):
        with pytest.raises(PermissionDenied):
            certificates.issue(acting_user=user, event=course, day=DAY, signer_position="CHỦ TỊCH")
        with pytest.raises(PermissionDenied):
            certificates.set_rule(acting_user=user, event=course, sessions=1)
    (made,) = certificates.issue(
        acting_user=personas.manager, event=course, day=DAY, signer_position="CHỦ TỊCH"
    )
    assert made.created_by == personas.manager
    with pytest.raises(PermissionDenied):
        certificates.revoke(acting_user=personas.outsider, certificate=made, reason="x")
    assert Certificate.objects.get().is_valid


def test_the_rule_is_between_one_and_every_session(course):
    for wrong in (0, 4):
        with pytest.raises(BadInput) as refused:
            certificates.set_rule(acting_user=SYSTEM, event=course, sessions=wrong)
        assert refused.value.code == "invalid_rule"
    certificates.set_rule(acting_user=SYSTEM, event=course, sessions=1)
    assert certificates.candidates(course).eligible == 3
    certificates.set_rule(acting_user=SYSTEM, event=course, sessions=3)  # all: no rule
    assert Event.objects.get().certificate_sessions is None


def test_codes_are_80_random_bits_typed_in_groups_of_crockford_s_base32():
    codes = {certificates.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 16 and set(c) <= set(certificates.ALPHABET) for c in codes)
    # Every character turns up: the 5 bits of each are used.
    assert set("".join(codes)) == set(certificates.ALPHABET)
    code = "7K3M9QXR2D5FHJNP"
    for typed in ("7K3M-9QXR-2D5F-HJNP", "7k3m 9qxr 2d5f hjnp", " 7K3M9QXR2D5FHJNP "):
        assert certificates.read_code(typed) == code
    assert certificates.read_code("0OIl-1111-1111-1111") == "0011111111111111"
    for wrong in ("7K3M-9QXR-2D5F-HJN", "7K3M-9QXR-2D5F-HJNU", "", "x" * 40):
        assert certificates.read_code(wrong) is None
    assert certificates.grouped(code) == "7K3M-9QXR-2D5F-HJNP"


def test_revoking_needs_a_reason_and_happens_once(personas, course):
    (made,) = issue(course)
    with pytest.raises(BadInput) as refused:
        certificates.revoke(acting_user=personas.manager, certificate=made, reason=" ")
    assert refused.value.code == "missing_reason"
    certificates.revoke(acting_user=personas.manager, certificate=made, reason="Cấp nhầm")
    made.refresh_from_db()
    assert (made.state, made.revoked_by, made.revoked_reason) == (
        "revoked",
        personas.manager,
        "Cấp nhầm",
    )
    assert made.revoked is not None
    with pytest.raises(Conflict):
        certificates.revoke(acting_user=personas.manager, certificate=made, reason="Lần nữa")


def test_erasing_a_person_revokes_their_certificates_and_forgets_the_name(personas, course):
    """GIVEN An's certificate WHEN An's personal data is erased THEN the certificate reads
    "revoked: personal data erased", keeps no name, and the check finds it so."""
    (made,) = issue(course)
    people.erase(acting_user=personas.manager, person=person("Nguyễn Văn An"))
    made.refresh_from_db()
    assert (made.state, made.name, made.revoked_by) == ("erased", "", personas.manager)
    found, wait = certificates.check(made.code, "10.0.0.1")
    assert (found, wait) == (made, 0)
    assert not Certificate.objects.filter(name="Nguyễn Văn An").exists()


def test_a_person_s_export_lists_their_certificates(course):
    (made,) = issue(course)
    found = people.record(person("Nguyễn Văn An"))
    assert found["certificates"] == [
        {
            "symbol": "01/GCN-HU",
            "issued": "2021-03-10",
            "event": course.pk,
            "title": "Lớp bồi dưỡng lý luận",
            "organiser": "Huyện Vĩnh Thuận",
            "code": made.code_shown,
            "state": "valid",
        }
    ]


def test_an_address_that_guesses_is_braked_and_the_others_are_not(course):
    """GIVEN 20 codes found nowhere from one address THEN its next lookup waits, even of
    a real code; another address still finds it."""
    (made,) = issue(course)
    for n in range(certificates.VERIFY_MISSES):
        assert certificates.check(f"{n:016d}", "10.0.0.9") == (None, 0)
    found, wait = certificates.check(made.code, "10.0.0.9")
    assert found is None and 0 < wait <= certificates.VERIFY_WINDOW
    assert certificates.check(made.code_shown.lower(), "10.0.0.8") == (made, 0)


def test_issuing_a_class_of_500_takes_the_same_queries_as_one_of_5(
    org, django_assert_max_num_queries
):
    """The whole class in one transaction: the series locked once, the rows written in
    one insert, whatever the number of people."""
    big = make_event(org.d1, days=("2021-03-01",), title="Hội nghị lớn")
    attend(big, [f"Người Số {n:03d}" for n in range(500)])
    small = make_event(org.d1, days=("2021-03-01",), title="Hội nghị nhỏ")
    attend(small, [f"Người Khác {n}" for n in range(5)])
    with django_assert_max_num_queries(25) as small_queries:
        issue(small)
    with django_assert_max_num_queries(len(small_queries) + 2):
        made = issue(big)
    assert [c.number for c in made] == list(range(6, 506))
    assert len({c.code for c in made}) == 500


def test_the_day_of_issue_starts_at_the_class_s_last_day(course):
    """A 2021 class's certificates are offered the day it closed, not today (the walk of
    07/12/2026 saw 30/06/2025, its organiser's last day)."""
    assert certificates.default_day(course) == dt.date(2021, 3, 3)
