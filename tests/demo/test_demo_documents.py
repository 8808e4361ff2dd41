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


def test_btghu_and_hu_can_seal_out_of_the_box_and_their_seals_verify(demo, db):
    """The demo's made-up root is configured (its folder), each unit's certificate opens."""
    from trienkhai.documents import signing
    from trienkhai.documents.models import UnitSeal
    from trienkhai.documents.signing import _pades, at_rest, specimens

    seals = {s.unit.code: s for s in UnitSeal.objects.select_related("unit")}
    assert set(seals) == {"BTGHU-VT", "HU-VT"}
    seal = seals["BTGHU-VT"]
    pdf = specimens.text_pdf(1)
    signed = _pades.seal(
        pdf,
        pkcs12=at_rest.decrypt(seal.pkcs12),
        password=at_rest.decrypt(seal.password).decode(),
        image=bytes(seal.image),
        placement=_pades.locate_signer(pdf, "Nguyen Van A"),
        reason=signing.REASON,
        location="Vĩnh Thuận",
    )
    found = signing.verify(signed)
    assert [(s["signer"], s["status"]) for s in found] == [(seal.subject, "valid")]
    assert found[0]["chain"][-1] == "trienkhai Demo Root CA"
