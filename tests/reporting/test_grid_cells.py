"""The entry grid's cells beyond a typed number: a yes/no choice, a figure counted by its
source, the cells marked to fix and left as they were."""

import datetime as dt
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.activities.conftest import attend, make_event
from tests.factories import SYSTEM
from trienkhai.reporting import services, sources
from trienkhai.reporting.models import DataValue, Indicator
from trienkhai.reporting.services import CellInput, MarkInput

PERIOD = "2021S1"


def url(name, form="HD", unit="C1", period=PERIOD):
    return reverse(f"reporting:{name}", args=[form, unit, period])


def page_of(client, **kwargs) -> str:
    response = client.get(url("grid", **kwargs))
    assert response.status_code == 200
    return response.content.decode()


def cell_html(page: str, indicator: str, option: str = "") -> str:
    """The <td> of one cell (an input, a select or a counted figure)."""
    for td in re.findall(r"<td class=\"cell.*?</td>", page, re.S):
        if f'data-indicator="{indicator}" data-option="{option}"' in td:
            return td
    raise AssertionError(f"no cell {indicator}/{option}")


# Yes/no --------------------------------------------------------------------------------


def test_it_offers_a_yes_no_indicator_as_a_choice_with_the_stored_one_chosen(
    activity_form, cell_reporter, web
):
    client = web(cell_reporter)
    td = cell_html(page_of(client), "co_ke_hoach")
    assert '<select class="cell-input"' in td and "<input" not in td
    assert 'aria-label="Đã ban hành kế hoạch"' in td
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', td) == [
        ("", "—"),
        ("có", "Có"),
        ("không", "Không"),
    ]
    assert '<option value="" selected>—</option>' in td  # nothing stored yet

    # The choice is saved like a typed value, and comes back chosen.
    answer = client.post(
        url("save"),
        data={"cells": [{"indicator": "co_ke_hoach", "value": "không"}]},
        content_type="application/json",
    ).json()
    assert answer["cells"][0]["value"] == "không"
    assert DataValue.objects.get(indicator__code="co_ke_hoach").value_number == 0
    td = cell_html(page_of(client), "co_ke_hoach")
    assert '<option value="không" selected>Không</option>' in td
    assert 'data-saved="không"' in td


def test_it_offers_yes_and_no_in_english_with_the_stored_value_chosen(
    activity_form, org, cell_reporter, web
):
    services.save_values(
        acting_user=SYSTEM,
        form=activity_form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput(indicator="co_ke_hoach", value="có")],
    )
    client = web(cell_reporter)
    client.cookies["django_language"] = "en"
    page = page_of(client)
    td = cell_html(page, "co_ke_hoach")
    assert 'aria-label="Plan issued"' in td
    assert '<option value="yes" selected>Yes</option>' in td
    assert '<option value="no">No</option>' in td
    # Saved back as the page writes it: "yes" is yes.
    client.post(
        url("save"),
        data={"cells": [{"indicator": "co_ke_hoach", "value": "no", "version": 1}]},
        content_type="application/json",
    )
    assert DataValue.objects.get(indicator__code="co_ke_hoach").value_number == 0


def test_it_shows_a_yes_no_value_as_text_where_the_grid_is_read_only(
    activity_form, org, personas, web
):
    services.save_values(
        acting_user=SYSTEM,
        form=activity_form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput(indicator="co_ke_hoach", value="có")],
    )
    td = cell_html(page_of(web(personas.viewer)), "co_ke_hoach")
    assert "<select" not in td and 'value="có"' in td and "readonly" in td


# Counted from a source -----------------------------------------------------------------


def test_it_shows_a_sourced_cell_counted_read_only_with_where_it_comes_from(
    activity_form, org, cell_reporter, web
):
    """GIVEN two classes organised by C1 in the first half of 2021 (one attended by two
    cán bộ and one đảng viên), one by C2, and one by C1 in the second half
    WHEN C1's reporter opens the 2021S1 grid THEN the counted cells show 2 classes and
    the attendances per group, no input, and the note of their source."""
    first = make_event(org.c1, days=("2021-03-01",))
    make_event(org.c1, days=("2021-05-10",))
    make_event(org.c2, days=("2021-04-01",))
    make_event(org.c1, days=("2021-09-01",))
    attend(first, ["Nguyễn Văn An", "Lê Thị Bình"], group="can_bo")
    attend(first, ["Trần Văn Cường"], group="dang_vien")
    page = page_of(web(cell_reporter))
    classes = cell_html(page, "act_classes")
    assert '<span class="cell-counted" data-indicator="act_classes" data-option="">2<' in classes
    assert "Đếm từ sổ hoạt động" in classes
    assert "<input" not in classes and "<select" not in classes
    assert ">2</span>" in cell_html(page, "act_attendances", "can_bo")
    assert ">1</span>" in cell_html(page, "act_attendances", "dang_vien")
    assert ">0</span>" in cell_html(page, "act_attendances", "nhan_dan")
    assert page.count('class="cell-input"') == 2  # the typed count and the yes/no


def test_it_writes_the_source_note_in_english(activity_form, cell_reporter, web):
    client = web(cell_reporter)
    client.cookies["django_language"] = "en"
    classes = cell_html(page_of(client), "act_classes")
    assert "Counted from the activity register" in classes
    assert ">0</span>" in classes  # nothing registered: zero, not empty


def test_it_counts_the_sourced_cells_in_a_few_queries_whatever_their_number(
    activity_form, org, cell_reporter, web, monkeypatch
):
    """The sources' figures cost a fixed few queries beside the same page without the
    source (the subtree, the events, the attendances, the connected sites' head counts;
    distinct people once more): the
    same for two sourced indicators or all seven of the activities, for one class or
    forty; the pledges' and the channels' sources add theirs (decision 0041)."""
    typed = Indicator.objects.filter(code__in=["so_bai", "co_ke_hoach"])
    services.create_form(
        acting_user=SYSTEM,
        code="HA",
        name="Báo cáo mọi số đếm",
        owner=org.d1,
        period_type="sixmonthly",
        indicators=[*typed, *Indicator.objects.exclude(source="").order_by("code")],
        units=[org.c1],
        valid_from=dt.date(2019, 1, 1),
    )
    client = web(cell_reporter)

    def cost(form, *, counted=True):
        with monkeypatch.context() as patch:
            if not counted:  # its app not installed: the note only, nothing counted
                patch.setattr(sources, "_sources", {})
            page_of(client, form=form)  # the session, the form's structure
            with CaptureQueriesContext(connection) as done:
                page_of(client, form=form)
        return len(done)

    two = cost("HD")
    assert two - cost("HD", counted=False) == 4
    for day in range(40):
        event = make_event(org.c1 if day % 2 else org.c2, days=(f"2021-02-{day % 28 + 1:02d}",))
        attend(event, [f"Người {day}"], group="can_bo")
    assert cost("HD") == two
    # activities 5; pledges 2 (the subtree, the lists); channels 3 (the subtree, the
    # channels active, the counts); inspections 6 (the subtree, planned, concluded, made,
    # carried out, overdue); commendations 2 (the subtree, the people and units
    # commended).
    assert cost("HA") - cost("HA", counted=False) == 5 + 2 + 3 + 6 + 2


def test_it_shows_a_sourced_cell_of_many_units_entry_as_its_note_only(activity_form, personas, web):
    page = web(personas.manager).get(reverse("reporting:multi", args=["HD", PERIOD]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("Đếm từ sổ hoạt động") == 2 * (1 + 6)  # two units × (classes + groups)
    assert 'data-indicator="act_classes" data-option="">—<' in text


def test_it_keeps_the_grid_from_an_outsider(activity_form, personas, web):
    assert web(personas.outsider).get(url("grid")).status_code == 403


# Marks to fix left as they were --------------------------------------------------------


def test_it_tells_the_page_which_marked_cells_are_unchanged_since_the_return(
    activity_form, org, cell_reporter, personas, web
):
    """GIVEN a report returned with two cells marked to fix WHEN the reporter changes one
    THEN the page marks only the other as untouched (asked about at sending)."""
    services.save_values(
        acting_user=cell_reporter,
        form=activity_form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput(indicator="so_bai", value="4"), CellInput("co_ke_hoach", value="có")],
    )
    submission = services.submit(
        acting_user=cell_reporter, form=activity_form, unit=org.c1, period_id=PERIOD
    )
    services.return_submission(
        acting_user=personas.manager,
        submission=submission,
        comment="Kiểm tra lại",
        cells=[MarkInput("so_bai", "", "Số bài lệch"), MarkInput("co_ke_hoach")],
    )
    client = web(cell_reporter)
    page = page_of(client)
    assert "data-untouched" in cell_html(page, "so_bai")
    assert "data-untouched" in cell_html(page, "co_ke_hoach")
    # A comment counts as an answer too.
    services.save_values(
        acting_user=cell_reporter,
        form=activity_form,
        unit=org.c1,
        period_id=PERIOD,
        cells=[CellInput(indicator="co_ke_hoach", value="có", comment="Đã ban hành 02/3")],
    )
    page = page_of(client)
    assert "data-untouched" in cell_html(page, "so_bai")
    assert "data-untouched" not in cell_html(page, "co_ke_hoach")
    words = json.loads(re.search(r'id="entry-text"[^>]*>(.*?)</script>', page).group(1))
    assert words["mark_untouched"] == "Ô “%(cell)s” được đánh dấu khi trả lại chưa được sửa."
    # A viewer's read-only grid asks nothing.
    assert "data-untouched" not in page_of(web(personas.viewer))
