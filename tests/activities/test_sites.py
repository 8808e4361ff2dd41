"""Connected sites (điểm cầu) of online conferences: the service, how heads and names
combine in the figures, and for which unit they count (decision 0046).

D1 (Huyện Vĩnh Thuận) holds an online conference with sites at its communes C1 and C2."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.activities.conftest import make_event
from tests.factories import SYSTEM
from trienkhai.activities import figures, lists, services, sites
from trienkhai.activities.models import Attendance, Event, Site, SiteCount
from trienkhai.activities.services import AttendanceRow
from trienkhai.common.errors import BadInput, Conflict


def site_of(event, unit) -> Site:
    return Site.objects.get(event=event, unit=unit)


def first(event):
    return event.sessions.order_by("date", "id").first()


def second(event):
    return list(event.sessions.all())[1]


def count(event, unit, people, session=None, acting_user=SYSTEM):
    return sites.change_site(
        acting_user=acting_user,
        site=site_of(event, unit),
        counts=[((session or first(event)).pk, people)],
    )


def named(event, rows):
    """Record ``rows`` (name, unit code, site text) at the first session."""
    session = str(first(event).pk)
    return services.record_attendance(
        acting_user=SYSTEM,
        event=event,
        rows=[AttendanceRow(session=session, name=n, unit=u, site=s) for n, u, s in rows],
    )


def _figures(unit, start="2021-01-01", end="2021-12-31"):
    values = figures.subtree_figures(unit, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    return {code: int(value) for (code, option), value in values.items() if option == ""}


# Writing sites ---------------------------------------------------------------------------


def test_it_adds_sites_under_the_organiser_with_their_history(org, personas, conference):
    added = sites.add_sites(
        acting_user=personas.manager,
        event=make_event(org.d1, kind="online_conference"),
        sites=[sites.SiteInput("C2", " Nhà văn hóa xã ")],
    )
    assert [(s.unit, s.place) for s in added] == [(org.c2, "Nhà văn hóa xã")]
    assert added[0].history.get().history_user == personas.manager
    assert [(r.name, r.site.place) for r in sites.rows(conference)] == [
        ("Thị trấn Vĩnh Thuận", "Hội trường thị trấn"),
        ("Xã Vĩnh Bình Bắc", ""),
    ]


def test_it_refuses_bad_sites_one_problem_each_and_saves_none(org, conference):
    """GIVEN C1 has a site already WHEN sites are asked at an unknown code, the organiser
    itself, another district's unit, C1 again, C2 twice and with a place too long THEN
    each is named by its place in the list and column, and none is saved."""
    asked = [
        sites.SiteInput("XX"),
        sites.SiteInput("D1"),
        sites.SiteInput("D2"),
        sites.SiteInput("C1"),
        sites.SiteInput("C2", "x" * 301),
        sites.SiteInput(""),
    ]
    other = make_event(org.d1, kind="online_conference")
    sites.add_sites(acting_user=SYSTEM, event=other, sites=[sites.SiteInput("C1")])
    with pytest.raises(BadInput) as refused:
        sites.add_sites(acting_user=SYSTEM, event=other, sites=asked)
    assert refused.value.code == "invalid_sites"
    found = [(d["row"], d["column"]) for d in refused.value.details]
    assert found == [(1, "unit"), (2, "unit"), (3, "unit"), (4, "unit"), (5, "place"), (6, "unit")]
    problems = [d["problem"] for d in refused.value.details]
    assert problems[0] == "Không có đơn vị XX / unknown unit XX"
    assert problems[2].startswith("D2 không thuộc cấp của đơn vị tổ chức")
    assert problems[3].startswith("C1 đã có điểm cầu")
    assert Site.objects.filter(event=other).count() == 1


def test_a_unit_twice_in_one_request_is_refused(org):
    event = make_event(org.d1, kind="online_conference")
    with pytest.raises(BadInput) as refused:
        sites.add_sites(
            acting_user=SYSTEM, event=event, sites=[sites.SiteInput("C1"), sites.SiteInput("C1")]
        )
    assert [(d["row"], d["column"]) for d in refused.value.details] == [(2, "unit")]
    assert not Site.objects.exists()


def test_a_board_s_conference_has_sites_in_its_committee_s_units(org, personas):
    """GIVEN an online conference organised by C1 (as a Ban Tuyên giáo is, under its
    district committee) WHEN a site is asked at C2, a unit of the same district THEN it
    is added (the communes are the district's, not the board's); another district's unit
    and one the writer may not view are not."""
    event = make_event(org.c1, kind="online_conference")
    (site,) = sites.add_sites(
        acting_user=personas.manager, event=event, sites=[sites.SiteInput("C2")]
    )
    assert site.unit == org.c2
    with pytest.raises(BadInput) as refused:
        sites.add_sites(acting_user=personas.manager, event=event, sites=[sites.SiteInput("D2")])
    assert refused.value.details[0]["problem"].startswith("Không có đơn vị D2")  # not seen


def test_only_an_online_conference_has_sites(org):
    event = make_event(org.d1, kind="study_conference")
    with pytest.raises(BadInput) as refused:
        sites.add_sites(acting_user=SYSTEM, event=event, sites=[sites.SiteInput("C1")])
    assert refused.value.code == "sites_not_online"


def test_a_host_that_came_under_the_organiser_later_is_refused(org):
    """The host must be under the organiser when the conference is held."""
    from tests import factories as f

    later = f.make_unit("C9", parent=org.d1, valid_from=dt.date(2022, 1, 1))
    event = make_event(org.d1, kind="online_conference")  # 2021
    with pytest.raises(BadInput):
        sites.add_sites(acting_user=SYSTEM, event=event, sites=[sites.SiteInput(later.code)])


@pytest.mark.parametrize("who", ["viewer", "reporter", "outsider"])
def test_only_the_organiser_s_managers_write_sites(org, personas, conference, who):
    user = getattr(personas, who)
    with pytest.raises(PermissionDenied):
        sites.add_sites(acting_user=user, event=conference, sites=[sites.SiteInput("C2")])
    with pytest.raises(PermissionDenied):
        count(conference, org.c1, 5, acting_user=user)
    with pytest.raises(PermissionDenied):
        sites.remove_site(acting_user=user, site=Site.objects.first())
    assert Site.objects.count() == 2 and not SiteCount.objects.exists()


# Head counts ---------------------------------------------------------------------------


def test_a_head_count_is_kept_changed_and_cleared_with_history(org, personas, conference):
    count(conference, org.c1, 40, acting_user=personas.manager)
    count(conference, org.c1, 45, acting_user=personas.manager)
    kept = SiteCount.objects.get()
    assert (kept.people, kept.modified_by) == (45, personas.manager)
    assert [h.people for h in kept.history.order_by("history_id")] == [40, 45]
    sites.change_site(
        acting_user=personas.manager,
        site=site_of(conference, org.c1),
        place="Nhà văn hóa",
        counts=[(first(conference).pk, None)],
    )
    assert not SiteCount.objects.exists()
    assert site_of(conference, org.c1).place == "Nhà văn hóa"


def test_it_refuses_bad_counts_and_saves_none(org, conference):
    other = make_event(org.d1)
    with pytest.raises(BadInput) as refused:
        sites.change_site(
            acting_user=SYSTEM,
            site=site_of(conference, org.c1),
            place="y" * 301,
            counts=[
                (first(conference).pk, 30),
                (other.sessions.get().pk, 5),
                (second(conference).pk, -1),
                (first(conference).pk, 31),
                (second(conference).pk, sites.MAX_HEADS + 1),
            ],
        )
    found = [(d["row"], d["column"]) for d in refused.value.details]
    assert found == [(1, "place"), (2, "session"), (3, "people"), (4, "session"), (5, "session")]
    assert not SiteCount.objects.exists()
    assert site_of(conference, org.c1).place == "Hội trường thị trấn"


def test_a_count_below_the_people_named_there_is_refused(org, conference):
    named(conference, [("Nguyễn Văn An", "C1", "C1"), ("Lê Thị Bình", "C1", "C1")])
    with pytest.raises(BadInput) as refused:
        count(conference, org.c1, 1)
    assert "đã có 2 người ghi tên" in refused.value.details[0]["problem"]
    count(conference, org.c1, 2)
    assert SiteCount.objects.get().people == 2


def test_a_list_naming_more_people_than_a_site_counted_is_refused(org, conference):
    """GIVEN C1's site counted 1 person at the first session WHEN a list names two
    people there THEN the second row is refused (column site) and nothing is saved; the
    same list at C2's site (not counted by head) is saved."""
    count(conference, org.c1, 1)
    rows = [("Nguyễn Văn An", "C1", "C1"), ("Lê Thị Bình", "C1", "Thị trấn Vĩnh Thuận")]
    with pytest.raises(BadInput) as refused:
        named(conference, rows)
    assert [(d["row"], d["column"]) for d in refused.value.details] == [(2, "site")]
    assert not Attendance.objects.exists()
    assert named(conference, [(n, u, "C2") for n, u, _ in rows]) == 2


def test_a_list_names_a_site_by_its_host_s_code_name_or_id(org, conference):
    c2 = site_of(conference, org.c2)
    rows = [
        ("Nguyễn Văn An", "C1", "C1"),
        ("Lê Thị Bình", "C1", "xa vinh binh bac"),
        ("Trần Cường", "C2", str(c2.pk)),
        ("Phạm Dũng", "C2", ""),
    ]
    assert named(conference, rows) == 4
    at = dict(Attendance.objects.values_list("person__name", "site__unit__code"))
    assert at == {"Nguyễn Văn An": "C1", "Lê Thị Bình": "C2", "Trần Cường": "C2", "Phạm Dũng": None}


def test_a_list_naming_an_unknown_site_is_refused_row_by_row(org, conference):
    rows = [("Nguyễn Văn An", "C1", "D2"), ("Lê Thị Bình", "C1", "C1")]
    with pytest.raises(BadInput) as refused:
        named(conference, rows)
    assert [(d["row"], d["column"]) for d in refused.value.details] == [(1, "site")]
    assert not Attendance.objects.exists()
    plain = make_event(org.d1)
    with pytest.raises(BadInput) as refused:
        services.record_attendance(
            acting_user=SYSTEM,
            event=plain,
            rows=[AttendanceRow(session="2021-03-01", name="An", unit="C1", site="C1")],
        )
    assert "không có điểm cầu" in refused.value.details[0]["problem"]


def test_a_site_with_people_named_there_is_not_removed(org, conference):
    named(conference, [("Nguyễn Văn An", "C1", "C1")])
    count(conference, org.c2, 25)
    with pytest.raises(Conflict):
        sites.remove_site(acting_user=SYSTEM, site=site_of(conference, org.c1))
    sites.remove_site(acting_user=SYSTEM, site=site_of(conference, org.c2))
    assert list(Site.objects.values_list("unit__code", flat=True)) == ["C1"]
    assert not SiteCount.objects.exists()


# Figures -------------------------------------------------------------------------------


def test_heads_add_attendances_never_people_and_count_for_the_organiser(org, conference):
    """GIVEN An at the main site, Bình named at C1's site, C1 counted 40 there and C2 25
    at the first session, and C2 30 at the second WHEN the figures are read THEN the
    attendances are 2 named + (40 − 1) + 25 + 30 = 96, the people 2 (heads are nobody),
    all of it D1's (the organiser's) and nothing the hosts' own."""
    named(conference, [("Nguyễn Văn An", "D1", ""), ("Lê Thị Bình", "C1", "C1")])
    count(conference, org.c1, 40)
    count(conference, org.c2, 25)
    count(conference, org.c2, 30, session=second(conference))
    d1 = _figures(org.d1)
    assert (d1["act_attendances"], d1["act_participants"]) == (96, 2)
    assert d1["act_online_conferences"] == 1
    assert _figures(org.p1)["act_attendances"] == 96
    for host in (org.c1, org.c2):
        assert _figures(host)["act_attendances"] == 0
        assert _figures(host)["act_online_conferences"] == 0
    # By the sessions' days: the second session's heads fall in March 2nd only.
    assert _figures(org.d1, "2021-03-02", "2021-03-02")["act_attendances"] == 30


def test_heads_have_no_audience_group(org, conference):
    """Split by group, the heads are in the total and in no option."""
    session = str(first(conference).pk)
    services.record_attendance(
        acting_user=SYSTEM,
        event=conference,
        rows=[
            AttendanceRow(session=session, name="An", unit="C1", audience="dang_vien", site="C1")
        ],
    )
    count(conference, org.c1, 10)
    found = figures.subtrees_figures(
        ["act_attendances", "act_participants"],
        {org.d1.pk: [org.d1.pk, org.c1.pk, org.c2.pk]},
        dt.date(2021, 1, 1),
        dt.date(2021, 12, 31),
        {"act_attendances": ["dang_vien"], "act_participants": ["dang_vien"]},
    )
    assert found[("act_attendances", "", org.d1.pk)] == 10
    assert found[("act_attendances", "dang_vien", org.d1.pk)] == 1
    assert found[("act_participants", "", org.d1.pk)] == 1


def test_the_lists_show_heads_in_attendances_and_not_in_people(org, conference):
    named(conference, [("Nguyễn Văn An", "C1", "C1")])
    count(conference, org.c1, 40)
    count(conference, org.c2, 20, session=second(conference))
    (listed,), _more = lists.events([org.d1.pk])
    # An is one of C1's 40: 40 + 20 attendances, one person.
    assert (listed.n_attendances, listed.n_people) == (60, 1)
    totals = lists.totals(conference)
    assert (totals.attendances, totals.people, totals.heads) == (60, 1, 59)
    assert [s.n_attendances for s in lists.sessions(conference)] == [40, 20]
    (c1_row, c2_row) = sites.rows(conference)
    assert c1_row.cells(list(conference.sessions.all()))[0][1:] == (40, 1)
    assert c2_row.counts == {second(conference).pk: 20}


def test_an_event_is_created_with_its_sites_or_not_at_all(org, personas):
    made = services.create_event(
        acting_user=personas.manager,
        organiser=org.d1,
        kind="online_conference",
        title="Hội nghị trực tuyến",
        start=dt.date(2021, 5, 4),
        end=dt.date(2021, 5, 4),
        sites=[sites.SiteInput("C1"), sites.SiteInput("C2", "Hội trường xã")],
    )
    assert sorted(made.sites.values_list("unit__code", "place")) == [
        ("C1", ""),
        ("C2", "Hội trường xã"),
    ]
    with pytest.raises(BadInput):
        services.create_event(
            acting_user=personas.manager,
            organiser=org.d1,
            kind="online_conference",
            title="Hội nghị trực tuyến 2",
            start=dt.date(2021, 5, 4),
            end=dt.date(2021, 5, 4),
            sites=[sites.SiteInput("D2")],
        )
    assert Event.objects.count() == 1
