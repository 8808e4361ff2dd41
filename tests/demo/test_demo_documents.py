"""The demo's documents reproduce shared/DOMAIN.md: real numbers, 42/42 plans, some late."""

from trienkhai.documents import directives
from trienkhai.documents.models import Assignment, Document, DocumentLink


def test_it_loads_the_documents_once(demo, db):
    found = (Document.objects.count(), Assignment.objects.count())
    assert found == (demo["counts"]["documents"], demo["counts"]["assignments"])


def test_it_has_the_real_numbers_and_dates(demo, db):
    issued = dict(
        Document.objects.filter(unit__code__in=["HU-VT", "BTGHU-VT"]).values_list("symbol", "date")
    )
    real = {"92-KH/HU": "2020-03-03", "217-CV/HU": "2020-06-02", "35-NQ/TW": "2018-10-22"}
    assert {s: issued[s].isoformat() for s in real} == real
    assert "04-BC/BTGHU" in issued and "53-KL/TW" in issued
    incoming = Document.objects.get(symbol="35-NQ/TW")
    assert (incoming.direction, incoming.unit.code, incoming.received_number) == (
        "incoming",
        "HU-VT",
        1,
    )
    report = Document.objects.get(symbol="04-BC/BTGHU")
    assert DocumentLink.objects.filter(source=report, target__symbol="217-CV/HU").exists()


def test_all_42_cells_answered_217_cv_hu_some_late_and_one_committee_cascaded(demo, db):
    found = directives.progress(Document.objects.get(symbol="217-CV/HU"))
    assert (found.expected, found.answered, found.missing) == (42, 42, [])
    assert (found.on_time, found.late) == (37, 5)
    cascaded = [r for r in found.tree if r.children]
    assert [r.code for r in cascaded] == ["DU-VT-31060"]
    assert [(c.answered, c.on_time) for c in cascaded[0].children] == [
        (True, True),
        (True, False),
        (False, False),
    ]
