"""Every write of the registers asks the policy: None and a manager of another district
are refused and nothing changes; a system actor passes (the demo, an answer's link)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.documents.test_attachments import png_file
from tests.factories import SIGNED, SYSTEM
from trienkhai.documents import attachments, directives, services
from trienkhai.documents.models import Assignment, Attachment, Document, DocumentLink, NumberSeries

DAY = dt.date(2020, 6, 10)


def _draft(hu):
    return services.register_draft(
        **SIGNED, acting_user=SYSTEM, issuer=hu, type="KH", date=DAY, summary="Kế hoạch"
    )


def _prepared(name, district, directive):
    """The write ``name`` as a function of the actor, its draft made beforehand."""
    hu = district.hu
    draft = _draft(hu) if name in {"issue", "cancel", "link"} else None
    return {
        "register_draft": lambda a: services.register_draft(
            **SIGNED, acting_user=a, issuer=hu, type="BC", date=DAY, summary="Báo cáo"
        ),
        "carry_over": lambda a: services.carry_over(
            acting_user=a, issuer=hu, type="BC", day=DAY, last_number=7
        ),
        "issue": lambda a: services.issue(acting_user=a, document=draft),
        "cancel": lambda a: services.cancel(acting_user=a, document=draft, reason="nhầm"),
        "register_incoming": lambda a: services.register_incoming(
            acting_user=a,
            unit=hu,
            type="CV",
            symbol="1-CV/TU",
            date=DAY,
            summary="Đến",
            issuer_name="Tỉnh ủy",
            profile="party",
        ),
        "link": lambda a: services.link(
            acting_user=a, source=draft, target=directive, kind="implements"
        ),
        "assign": lambda a: directives.assign(
            acting_user=a,
            document=directive,
            due=dt.date(2020, 7, 1),
            expects="BC",
            units=["CB11"],
        ),
        "attach": lambda a: attachments.attach(
            acting_user=a, document=directive, name="a.png", data=png_file()
        ),
    }[name]


NAMES = [
    "register_draft",
    "carry_over",
    "issue",
    "cancel",
    "register_incoming",
    "link",
    "assign",
    "attach",
]


def snapshot():
    return [
        list(m.objects.order_by("pk").values())
        for m in (Document, NumberSeries, DocumentLink, Assignment, Attachment)
    ]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("who", ["none", "outsider"])
def test_it_refuses_none_and_a_manager_of_another_district(
    district, directive, personas, name, who
):
    write = _prepared(name, district, directive)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        write(None if who == "none" else personas.outsider)
    assert snapshot() == before


@pytest.mark.parametrize("name", NAMES)
def test_it_lets_a_system_actor_write(district, directive, name):
    write = _prepared(name, district, directive)
    before = snapshot()
    write(SYSTEM)
    assert snapshot() != before


def test_it_records_no_user_for_a_system_actor(district):
    draft = _draft(district.hu)
    assert Document.history.filter(id=draft.pk).get().history_user is None
