"""The unit tree browser, the unit page and the managers' unit forms."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.factories import SYSTEM
from trienkhai.orgs import services
from trienkhai.orgs.models import LineageEvent, Unit, UnitVersion

REFORM = dt.date(2025, 7, 1)


def tree_url(**params):
    return reverse("orgs:tree"), params


def unit_url(code, view="unit"):
    return reverse(f"orgs:{view}", args=[code])


def text(response) -> str:
    return response.content.decode()


def superuser():
    user = f.make_user("root")
    user.is_superuser = True
    user.save()
    return user


def count_queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries)


# The tree browser -----------------------------------------------------------------------


def test_it_redirects_anonymous_users_to_log_in(org, web):
    for url in (reverse("orgs:tree"), unit_url("D1"), unit_url("D1", "create")):
        response = web().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_it_starts_the_tree_at_the_units_of_the_users_roles(personas, web):
    page = text(web(personas.manager).get(reverse("orgs:tree")))
    assert "Huyện Vĩnh Thuận" in page
    assert "Tỉnh Kiên Giang" not in page
    assert "Tỉnh Trà Vinh" not in page
    page = text(web(personas.admin).get(reverse("orgs:tree")))
    assert "Việt Nam" in page


def test_a_user_whose_units_all_ended_opens_on_their_last_day(org, web):
    new = f.make_unit("N1", name="Xã Vĩnh Thuận Mới", parent=org.d1, valid_from=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1, org.c2], into=new, on=REFORM)
    town = web(f.make_user("town", unit=org.c1, role="reporter"))
    page = text(town.get(reverse("orgs:tree")))
    assert "Cơ cấu tại ngày 30/06/2025" in page
    assert "Thị trấn Vĩnh Thuận, đã chấm dứt hoạt động từ sau ngày 30/06/2025" in page
    assert "Xem cơ cấu hôm nay" in page
    assert "Xã Vĩnh Thuận Mới" not in page  # the successor is outside their reach
    # A date asked for wins.
    assert "Cơ cấu tại ngày 01/01/2024" in text(
        town.get(reverse("orgs:tree"), {"ngay": "01/01/2024"})
    )
    # A user with one living unit among theirs opens on today, with no notice.
    manager = text(web(f.make_user("m", unit=org.d1, role="manager")).get(reverse("orgs:tree")))
    assert "đã chấm dứt hoạt động" not in manager
    assert "30/06/2025</h2>" not in manager


def test_it_tells_a_user_without_roles_how_to_get_one(personas, web):
    page = text(web(personas.nobody).get(reverse("orgs:tree")))
    assert "chưa được giao vai trò" in page


def test_it_expands_children_level_by_level(personas, web):
    client = web(personas.admin)
    page = text(client.get(reverse("orgs:tree")))
    assert 'aria-expanded="false"' in page
    assert "Tỉnh Kiên Giang" not in page
    page = text(client.get(reverse("orgs:tree"), {"mo": ["VN", "P1"]}))
    assert "Tỉnh Kiên Giang" in page and "Huyện Vĩnh Thuận" in page
    assert "Thị trấn Vĩnh Thuận" not in page
    assert "mo=VN&amp;mo=P1&amp;mo=D1" in page  # the toggle that opens the next level


def test_it_shows_the_structure_at_a_date(personas, web, org):
    services.change_unit(acting_user=SYSTEM, unit=org.c2, on=dt.date(2022, 1, 1), parent=org.d2)
    client = web(personas.admin)
    today = text(client.get(reverse("orgs:tree"), {"mo": ["VN", "P1", "D1"]}))
    assert "Thị trấn Vĩnh Thuận" in today and "Xã Vĩnh Bình Bắc" not in today
    then = text(client.get(reverse("orgs:tree"), {"mo": ["VN", "P1", "D1"], "ngay": "15/06/2020"}))
    assert "Xã Vĩnh Bình Bắc" in then
    assert "Cơ cấu tại ngày 15/06/2020" in then


def test_it_hides_children_the_user_may_no_longer_see_at_a_past_date(personas, web, org):
    """GIVEN C2 moved from D1 to D2 in 2022, WHEN D1's viewer looks at 2020,
    THEN C2 is not listed: today it belongs to D2, which the viewer may not see."""
    services.change_unit(acting_user=SYSTEM, unit=org.c2, on=dt.date(2022, 1, 1), parent=org.d2)
    page = text(web(personas.viewer).get(reverse("orgs:tree"), {"mo": "D1", "ngay": "15/06/2020"}))
    assert "Thị trấn Vĩnh Thuận" in page
    assert "Xã Vĩnh Bình Bắc" not in page


def test_it_answers_a_bad_date_with_a_form_error(personas, web):
    response = web(personas.manager).get(reverse("orgs:tree"), {"ngay": "31/02/2024"})
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in text(response)
    assert "Huyện Vĩnh Thuận" in text(response)  # the page still works, at today


def test_it_searches_ignoring_accents_and_the_stroke(personas, web, org):
    f.make_unit("DT", name="Xã Đồng Tâm", parent=org.d1)
    client = web(personas.manager)
    page = text(client.get(reverse("orgs:tree"), {"q": "vinh thuan"}))
    assert "Huyện Vĩnh Thuận" in page and "Thị trấn Vĩnh Thuận" in page
    assert "Xã Vĩnh Bình Bắc" not in page
    page = text(client.get(reverse("orgs:tree"), {"q": "dong"}))
    assert "Xã Đồng Tâm" in page
    assert f'href="{unit_url("DT")}"' in page


def test_it_filters_search_results_by_the_policy(personas, web):
    assert "Huyện Cầu Kè" in text(web(personas.admin).get(reverse("orgs:tree"), {"q": "cau ke"}))
    page = text(web(personas.viewer).get(reverse("orgs:tree"), {"q": "cau ke"}))
    assert "Huyện Cầu Kè" not in page
    assert "0 đơn vị khớp" in page
    page = text(web(personas.outsider).get(reverse("orgs:tree"), {"q": "vinh"}))
    assert "Vĩnh" not in page.split("</form>", 1)[1]


def test_it_focuses_the_search_box_and_submits_with_enter(personas, web):
    page = text(web(personas.manager).get(reverse("orgs:tree")))
    assert 'type="search" name="q"' in page
    assert "autofocus" in page
    assert '<button type="submit">' in page


def test_it_refuses_other_methods_on_the_tree(personas, web):
    assert web(personas.manager).post(reverse("orgs:tree")).status_code == 405


def test_it_keeps_the_tree_query_count_flat(personas, web, org):
    """Opening a node with ten times more children costs no more queries."""
    client = web(superuser())
    params = {"mo": ["VN", "P1", "D1"]}
    few = count_queries(client, reverse("orgs:tree"), params)
    for i in range(20):
        f.make_unit(f"X{i}", name=f"Xã Thêm {i}", parent=org.d1)
    assert count_queries(client, reverse("orgs:tree"), params) == few
    assert count_queries(client, reverse("orgs:tree"), {"q": "xa"}) <= 8


def test_it_bounds_the_tree_queries_for_a_manager(personas, web, django_assert_max_num_queries):
    client = web(personas.manager)
    with django_assert_max_num_queries(20):
        client.get(reverse("orgs:tree"), {"mo": "D1"})


# The unit page --------------------------------------------------------------------------


def test_it_shows_a_unit_with_its_place_and_children(personas, web):
    page = text(web(personas.admin).get(unit_url("D1")))
    assert "<h1>Huyện Vĩnh Thuận" in page
    assert "Huyện, quận, thị xã" in page  # the kind
    assert "<code>D1</code>" in page and "<code>910</code>" in page  # codes
    assert 'href="/don-vi/P1/?ngay=' in page  # breadcrumbs
    assert "Thị trấn Vĩnh Thuận" in page and "Xã Vĩnh Bình Bắc" in page  # children
    assert "Thành lập" in page  # history


def test_it_does_not_link_ancestors_the_user_may_not_see(personas, web):
    page = text(web(personas.viewer).get(unit_url("D1")))
    assert "Tỉnh Kiên Giang" in page
    assert 'href="/don-vi/P1/' not in page


def test_it_shows_a_unit_as_it_was_on_a_date(personas, web, org):
    services.change_unit(acting_user=SYSTEM, unit=org.c2, on=dt.date(2022, 1, 1), parent=org.d2)
    services.change_unit(acting_user=SYSTEM, unit=org.d1, on=dt.date(2023, 1, 1), name="Huyện Mới")
    client = web(personas.admin)
    page = text(client.get(unit_url("D1"), {"ngay": "15/06/2020"}))
    assert "<h1>Huyện Vĩnh Thuận" in page
    assert "Xã Vĩnh Bình Bắc" in page
    page = text(client.get(unit_url("D1")))
    assert "<h1>Huyện Mới" in page
    assert "01/01/2022" in page  # the day the structure under it changed


def test_it_sends_readers_of_an_ended_unit_to_its_successors(personas, web, org):
    new = f.make_unit("N1", name="Xã Vĩnh Thuận Mới", parent=org.d1, valid_from=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1, org.c2], into=new, on=REFORM)
    client = web(personas.manager)
    page = text(client.get(unit_url("C1")))
    assert 'id="successors"' in page
    assert "Đơn vị đã chấm dứt từ ngày 01/07/2025" in page
    assert f'<a href="{unit_url("N1")}">Xã Vĩnh Thuận Mới</a>' in page
    assert "30/06/2025" in page  # shown as on its last day
    page = text(client.get(unit_url("N1")))
    assert 'id="successors"' not in page
    assert 'rel="predecessor"' in page and "Thị trấn Vĩnh Thuận" in page


def test_it_shows_a_split_with_each_part(personas, web, org):
    a = f.make_unit("A", name="Xã Phần A", parent=org.d1, valid_from=REFORM)
    b = f.make_unit("B", name="Xã Phần B", parent=org.d1, valid_from=REFORM)
    services.split_unit(acting_user=SYSTEM, unit=org.c2, into=[a, b], on=REFORM)
    client = web(personas.manager)
    page = text(client.get(unit_url("C2")))
    box = page.split('id="successors"', 1)[1].split("</section>", 1)[0]
    assert "Xã Phần A" in box and "Xã Phần B" in box
    assert box.count("kế thừa một phần") == 2
    history = page.split('id="history"', 1)[1]
    assert "Chia tách" in history and 'rel="successor"' in history
    page = text(client.get(unit_url("A")))
    assert 'rel="predecessor"' in page and "Xã Vĩnh Bình Bắc" in page


def test_it_shows_the_audit_history_with_before_and_after(personas, web, org):
    client = web(personas.manager)
    response = client.post(
        unit_url("C1", "change"),
        {"on": "01/03/2024", "name": "Thị trấn Mới", "abbreviation": "", "kind": "town"},
    )
    assert response.status_code == 302
    page = text(client.get(unit_url("C1")))
    audit = page.split('id="audit"', 1)[1]
    assert "manager" in audit
    assert "<ins>Thị trấn Mới</ins>" in audit  # the new version
    assert "Hết hiệu lực từ ngày:</span> <ins>01/03/2024</ins>" in audit  # the old one closed
    assert "hệ thống" in audit  # the creation, made by a factory


def test_it_shows_a_corrected_value_before_and_after(personas, web, org):
    """GIVEN an administrator corrected a typo in a name (through the Django admin),
    THEN the audit shows the old value struck out and the new one."""
    version = org.c2.versions.get()
    version.name = "Xã Vĩnh Bình Bắc (sửa)"
    version._history_user = personas.admin
    version.save()
    audit = text(web(personas.manager).get(unit_url("C2"))).split('id="audit"', 1)[1]
    assert "<del>Xã Vĩnh Bình Bắc</del> → <ins>Xã Vĩnh Bình Bắc (sửa)</ins>" in audit
    assert ">admin<" in audit


def test_it_refuses_a_unit_outside_the_users_subtree(personas, web):
    assert web(personas.outsider).get(unit_url("D1")).status_code == 403
    assert web(personas.viewer).get(unit_url("P1")).status_code == 403
    assert web(personas.nobody).get(unit_url("C1")).status_code == 403


def test_it_answers_an_unknown_unit_with_404(personas, web):
    response = web(personas.admin).get(unit_url("KHONG-CO"))
    assert response.status_code == 404
    assert "KHONG-CO" in text(response)


def test_it_refuses_other_methods_on_the_unit_page(personas, web):
    assert web(personas.manager).post(unit_url("D1")).status_code == 405


def test_it_shows_manage_links_only_to_managers(personas, web):
    assert unit_url("D1", "change") in text(web(personas.manager).get(unit_url("D1")))
    assert unit_url("D1", "change") not in text(web(personas.viewer).get(unit_url("D1")))
    assert unit_url("D1", "change") not in text(web(personas.reporter).get(unit_url("D1")))


def test_it_keeps_the_unit_page_query_count_flat(personas, web, org):
    """More children, events, versions and audit rows cost no more queries."""
    client = web(superuser())
    few = count_queries(client, unit_url("D1"))
    for i in range(10):
        unit = f.make_unit(f"X{i}", name=f"Xã Thêm {i}", parent=org.d1)
        services.change_unit(acting_user=SYSTEM, unit=unit, on=dt.date(2020, 1, 1), name=f"Xã {i}")
    services.change_unit(acting_user=SYSTEM, unit=org.d1, on=dt.date(2021, 1, 1), name="Huyện A")
    services.change_unit(acting_user=SYSTEM, unit=org.d1, on=dt.date(2022, 1, 1), name="Huyện B")
    assert count_queries(client, unit_url("D1")) == few


def test_it_keeps_the_ended_unit_page_query_count_flat(personas, web, org):
    client = web(superuser())
    n1 = f.make_unit("N1", parent=org.d1, valid_from=REFORM)
    services.merge_units(acting_user=SYSTEM, predecessors=[org.c1], into=n1, on=REFORM)
    few = count_queries(client, unit_url("N1"))
    for i in range(5):
        old = f.make_unit(f"O{i}", parent=org.d1)
        services.merge_units(acting_user=SYSTEM, predecessors=[old], into=n1, on=REFORM)
    assert count_queries(client, unit_url("N1")) == few


def test_it_bounds_the_unit_page_queries_for_a_manager(
    personas, web, django_assert_max_num_queries
):
    client = web(personas.manager)
    with django_assert_max_num_queries(40):
        client.get(unit_url("D1"))


# Creating a unit ------------------------------------------------------------------------

NEW = {"code": "C3", "name": "Xã Vĩnh Phong", "kind": "commune", "valid_from": "01/01/2024"}


def test_it_lets_a_manager_create_a_unit_under_theirs(personas, web, org):
    client = web(personas.manager)
    assert client.get(unit_url("D1", "create")).status_code == 200
    response = client.post(unit_url("D1", "create"), {**NEW, "abbreviation": "VP"})
    assert response.status_code == 302
    assert response.url == unit_url("C3")
    unit = Unit.objects.get(code="C3")
    version = unit.versions.get()
    assert (version.name, version.parent, version.abbreviation) == ("Xã Vĩnh Phong", org.d1, "VP")
    assert unit.valid_from == dt.date(2024, 1, 1)
    assert unit.history.get().history_user == personas.manager
    assert LineageEvent.objects.get(unit=unit).created_by == personas.manager
    assert "Đã thêm đơn vị" in text(client.get(response.url))


def test_it_lets_a_manager_work_anywhere_inside_their_subtree(personas, web):
    response = web(personas.manager).post(unit_url("C1", "create"), {**NEW, "code": "T1"})
    assert response.status_code == 302


def test_it_shows_a_duplicate_code_as_a_form_error_and_creates_nothing(personas, web):
    before = UnitVersion.objects.count()
    response = web(personas.manager).post(unit_url("D1", "create"), {**NEW, "code": "C1"})
    assert response.status_code == 400
    assert "Mã đơn vị đã tồn tại: C1" in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert UnitVersion.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "có dấu", "Mã đơn vị không hợp lệ"),
        ("valid_from", "2024/13/45", "Ngày không hợp lệ"),
        ("valid_from", "01/01/2001", "không tồn tại vào ngày 01/01/2001"),
        ("kind", "khong-co", "Hãy chọn"),
        ("name", "", "bắt buộc"),
    ],
)
def test_it_shows_bad_input_as_form_errors(personas, web, field, value, message):
    response = web(personas.manager).post(unit_url("D1", "create"), {**NEW, field: value})
    assert response.status_code == 400
    assert message in text(response)
    assert not Unit.objects.filter(code__in=["C3", "có dấu"]).exists()


def test_it_refuses_unit_forms_to_viewers_and_reporters(personas, web):
    for persona in (personas.viewer, personas.reporter):
        client = web(persona)
        for view in ("create", "change", "dissolve"):
            assert client.get(unit_url("D1", view)).status_code == 403
        assert client.post(unit_url("D1", "create"), NEW).status_code == 403
    assert not Unit.objects.filter(code="C3").exists()


def test_it_refuses_unit_forms_outside_the_managers_subtree(personas, web):
    client = web(personas.manager)
    assert client.post(unit_url("P1", "create"), NEW).status_code == 403
    assert client.post(unit_url("D2", "create"), NEW).status_code == 403
    assert web(personas.outsider).post(unit_url("D1", "create"), NEW).status_code == 403
    assert not Unit.objects.filter(code="C3").exists()


def test_it_refuses_other_methods_on_unit_forms(personas, web):
    client = web(personas.manager)
    for view in ("create", "change", "dissolve"):
        assert client.put(unit_url("D1", view)).status_code == 405
        assert client.delete(unit_url("D1", view)).status_code == 405


def test_it_checks_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.manager)
    assert client.post(unit_url("D1", "create"), NEW).status_code == 403
    assert not Unit.objects.filter(code="C3").exists()


# Recording a change ---------------------------------------------------------------------


def change(client, code, **data):
    current = Unit.objects.get(code=code).latest_version()
    form = {"on": "01/01/2024", "name": current.name, "abbreviation": current.abbreviation}
    form["kind"] = current.kind.code
    return client.post(unit_url(code, "change"), {**form, **data})


def test_it_renames_a_unit_from_a_date(personas, web, org):
    response = change(web(personas.manager), "C2", name="Xã Vĩnh Bình Bắc Mới")
    assert response.status_code == 302
    assert org.c2.version_on(dt.date(2023, 12, 31)).name == "Xã Vĩnh Bình Bắc"
    assert org.c2.version_on(dt.date(2024, 1, 1)).name == "Xã Vĩnh Bình Bắc Mới"


def test_it_moves_a_unit_inside_the_managers_subtree(personas, web, org):
    f.make_unit("D1B", kind_code="commune", parent=org.d1)
    response = change(web(personas.manager), "C2", parent="D1B")
    assert response.status_code == 302
    assert org.c2.version_on(dt.date(2024, 6, 1)).parent.code == "D1B"


def test_it_refuses_a_move_outside_the_managers_subtree(personas, web, org):
    assert change(web(personas.manager), "C2", parent="D2").status_code == 403
    assert org.c2.versions.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"parent": "KHONG-CO"}, "Không có đơn vị cấp trên: KHONG-CO"),
        ({"parent": "C2"}, "không thể làm đơn vị cấp trên"),
        ({}, "Không có gì thay đổi"),
        ({"on": "01/08/2008", "name": "Tên cũ"}, "đã có thay đổi từ ngày 01/08/2008"),
        ({"on": "01/01/2000", "name": "Tên cũ"}, "không tồn tại vào ngày 01/01/2000"),
        ({"on": "hôm qua", "name": "Tên"}, "Ngày không hợp lệ"),
        ({"name": ""}, "bắt buộc"),
    ],
)
def test_it_shows_a_refused_change_as_a_form_error(personas, web, org, data, message):
    response = change(web(personas.manager), "C2", **data)
    assert response.status_code == 400
    assert message in text(response)
    assert org.c2.versions.count() == 1


def test_it_refuses_a_change_to_a_viewer(personas, web, org):
    assert change(web(personas.viewer), "C2", name="X").status_code == 403
    assert change(web(personas.reporter), "C2", name="X").status_code == 403
    assert org.c2.versions.count() == 1


# Dissolving -----------------------------------------------------------------------------


def test_it_dissolves_a_unit_from_a_date(personas, web, org):
    response = web(personas.manager).post(
        unit_url("C1", "dissolve"), {"on": "01/07/2025", "confirm": "on"}
    )
    assert response.status_code == 302
    org.c1.refresh_from_db()
    assert org.c1.valid_to == REFORM
    page = text(web(personas.manager).get(unit_url("C1")))
    assert "không có đơn vị kế thừa" in page
    assert unit_url("C1", "change") not in page  # an ended unit is not edited


def test_it_dissolves_only_once_confirmed(personas, web, org):
    response = web(personas.manager).post(unit_url("C1", "dissolve"), {"on": "01/07/2025"})
    assert response.status_code == 400
    assert "Hãy đánh dấu ô xác nhận để giải thể đơn vị." in text(response)
    org.c1.refresh_from_db()
    assert org.c1.valid_to is None


def test_it_refuses_to_dissolve_a_unit_with_children(personas, web, org):
    response = web(personas.manager).post(
        unit_url("D1", "dissolve"), {"on": "01/07/2025", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "còn đơn vị trực thuộc" in text(response)
    org.d1.refresh_from_db()
    assert org.d1.valid_to is None


def test_it_refuses_to_dissolve_to_others(personas, web, org):
    for persona in (personas.viewer, personas.reporter, personas.outsider):
        assert (
            web(persona)
            .post(unit_url("C1", "dissolve"), {"on": "01/07/2025", "confirm": "on"})
            .status_code
            == 403
        )
    assert (
        web(personas.manager)
        .post(unit_url("P2", "dissolve"), {"on": "01/07/2025", "confirm": "on"})
        .status_code
        == 403
    )
    org.c1.refresh_from_db()
    assert org.c1.valid_to is None


def test_it_lists_a_role_unit_that_has_ended_so_its_holder_can_open_it(org, personas, web):
    """GIVEN the district D1 dissolved in 2025 (its communes moved away first),
    WHEN its manager opens the tree today,
    THEN D1 is listed (ended) instead of an empty page."""
    import datetime as dt

    from trienkhai.orgs import services

    for commune in (org.c1, org.c2):
        services.change_unit(
            acting_user=SYSTEM, unit=commune, on=dt.date(2025, 7, 1), parent=org.p1
        )
    services.dissolve_unit(acting_user=SYSTEM, unit=org.d1, on=dt.date(2025, 7, 1))
    page = web(personas.manager).get("/don-vi/").content.decode()
    assert "Huyện Vĩnh Thuận" in page
    assert "/don-vi/D1/" in page
