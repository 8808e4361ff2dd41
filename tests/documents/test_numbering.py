"""Numbers and symbols: the series rules of VN_DOCUMENTS.md §2.4 and §5.1."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import SIGNED, SYSTEM
from trienkhai.common.errors import BadInput, Conflict
from trienkhai.documents import services
from trienkhai.documents.models import Document, PartyTerm, default_term


def issued(issuer, type_code, day, **extra):
    draft = services.register_draft(
        **SIGNED,
        acting_user=SYSTEM,
        issuer=issuer,
        type=type_code,
        date=day,
        summary="Văn bản",
        **extra,
    )
    return services.issue(acting_user=SYSTEM, document=draft)


def test_it_prints_party_symbols_with_a_hyphen_and_a_padded_number(btghu):
    for _ in range(3):
        document = issued(btghu, "BC", dt.date(2020, 11, 2))
    assert document.number == 3
    assert document.symbol == "03-BC/BTGHU"
    assert issued(btghu, "BC", dt.date(2020, 11, 3)).symbol == "04-BC/BTGHU"


def test_it_prints_state_symbols_with_a_slash_first(ubnd):
    for _ in range(11):
        issued(ubnd, "TB", dt.date(2021, 3, 1))
    # State numbers run per issuer per year across types.
    assert issued(ubnd, "BC", dt.date(2021, 3, 2)).symbol == "12/BC-UBND"


def test_it_keeps_mixed_case_codes(ubnd, btghu):
    assert issued(ubnd, "QyĐ", dt.date(2021, 1, 5)).symbol == "01/QyĐ-UBND"
    assert issued(ubnd, "TTr", dt.date(2021, 1, 5)).symbol == "02/TTr-UBND"
    assert issued(btghu, "CTr", dt.date(2021, 1, 5)).symbol == "01-CTr/BTGHU"


def test_it_numbers_a_state_cong_van_with_the_issuer_and_its_drafting_unit(ubnd):
    document = issued(ubnd, "cong_van", dt.date(2021, 1, 5), unit_suffix="VP")
    assert document.symbol == "01/UBND-VP"


def test_it_refuses_cv_for_the_state_it_is_a_party_code(ubnd):
    with pytest.raises(BadInput):
        services.register_draft(
            **SIGNED,
            acting_user=SYSTEM,
            issuer=ubnd,
            type="CV",
            date=dt.date(2021, 1, 5),
            summary="x",
        )


def test_it_restarts_state_numbers_on_the_first_of_january(ubnd):
    issued(ubnd, "BC", dt.date(2020, 12, 30))
    assert issued(ubnd, "BC", dt.date(2020, 12, 31)).number == 2
    assert issued(ubnd, "BC", dt.date(2021, 1, 1)).number == 1


def test_it_numbers_party_documents_per_type_through_the_term(btghu):
    """GIVEN a Party board WHEN it issues across a New Year inside one term THEN no reset."""
    issued(btghu, "BC", dt.date(2020, 12, 30))
    assert issued(btghu, "BC", dt.date(2021, 1, 4)).number == 2
    assert issued(btghu, "KH", dt.date(2021, 1, 4)).number == 1
    # The next default term starts on 1 October 2025.
    assert issued(btghu, "BC", dt.date(2025, 9, 30)).number == 3
    assert issued(btghu, "BC", dt.date(2025, 10, 1)).number == 1


def test_it_follows_a_committees_own_term_dates(btghu):
    PartyTerm.objects.create(unit=btghu, start=dt.date(2020, 8, 20), end=dt.date(2025, 8, 15))
    PartyTerm.objects.create(unit=btghu, start=dt.date(2025, 8, 16), end=dt.date(2030, 8, 1))
    issued(btghu, "BC", dt.date(2025, 8, 1))
    assert issued(btghu, "BC", dt.date(2025, 8, 20)).number == 1


def test_the_default_term_is_five_years_from_the_first_of_october():
    assert default_term(dt.date(2020, 10, 1)) == (dt.date(2020, 10, 1), dt.date(2025, 9, 30))
    assert default_term(dt.date(2020, 9, 30)) == (dt.date(2015, 10, 1), dt.date(2020, 9, 30))
    assert default_term(dt.date(2027, 1, 1))[0] == dt.date(2025, 10, 1)


def test_congress_documents_share_one_series_across_types(btghu):
    issued(btghu, "BC", dt.date(2020, 8, 1), is_congress=True)
    assert issued(btghu, "BB", dt.date(2020, 8, 2), is_congress=True).symbol == "02-BB/BTGHU"
    assert issued(btghu, "BC", dt.date(2020, 8, 2)).number == 1


def test_a_cancelled_number_stays_taken(ubnd):
    first = issued(ubnd, "BC", dt.date(2021, 2, 1))
    services.cancel(acting_user=SYSTEM, document=first, reason="Sai nội dung")
    first.refresh_from_db()
    assert (first.status, first.number) == ("cancelled", 1)
    assert issued(ubnd, "BC", dt.date(2021, 2, 1)).number == 2


def test_it_refuses_to_issue_twice(ubnd):
    document = issued(ubnd, "BC", dt.date(2021, 2, 1))
    with pytest.raises(Conflict):
        services.issue(acting_user=SYSTEM, document=document)
    assert Document.objects.get().number == 1


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["BC", "KH"]),
            st.integers(min_value=0, max_value=800),
            st.booleans(),
        ),
        max_size=12,
    )
)
def test_any_sequence_of_issues_and_cancels_gives_increasing_unique_numbers(btghu, steps):
    Document.objects.filter(unit=btghu).delete()
    btghu.number_series.all().delete()
    by_series: dict[int, list[int]] = {}
    for type_code, offset, cancel in steps:
        document = issued(btghu, type_code, dt.date(2024, 1, 1) + dt.timedelta(days=offset))
        if cancel:
            services.cancel(acting_user=SYSTEM, document=document, reason="hủy")
        by_series.setdefault(document.series_id, []).append(document.number)
    for numbers in by_series.values():
        assert numbers == list(range(1, len(numbers) + 1))


def test_a_series_carried_over_from_the_paper_book_goes_on_and_never_back(btghu):
    """GIVEN the paper book stopped at 03 WHEN the system takes over THEN the next is 04."""
    services.carry_over(
        acting_user=SYSTEM, issuer=btghu, type="BC", day=dt.date(2020, 11, 2), last_number=3
    )
    assert issued(btghu, "BC", dt.date(2020, 11, 2)).symbol == "04-BC/BTGHU"
    with pytest.raises(Conflict):
        services.carry_over(
            acting_user=SYSTEM, issuer=btghu, type="BC", day=dt.date(2020, 11, 3), last_number=2
        )
    assert issued(btghu, "BC", dt.date(2020, 11, 3)).number == 5


def test_correcting_a_types_printed_code_does_not_restart_its_numbers(btghu):
    """GIVEN 2 reports numbered in the term, WHEN an admin corrects the type's code,
    THEN the next report is number 3 (the series is the type's, not its code's)."""
    from trienkhai.documents.models import DocumentType

    issued(btghu, "BC", dt.date(2021, 1, 4))
    issued(btghu, "BC", dt.date(2021, 2, 4))
    DocumentType.objects.filter(profile="party", code="BC").update(code="BCA")
    assert issued(btghu, "BCA", dt.date(2021, 3, 4)).number == 3


def test_a_term_cannot_move_under_numbered_documents(btghu):
    """Editing, adding or deleting a term row in a way that would put a numbered document
    in another series is refused (the numbers would restart mid-term); a change that
    moves no numbered document is accepted."""
    from django.core.exceptions import ValidationError

    term = PartyTerm.objects.create(
        unit=btghu, start=dt.date(2020, 8, 20), end=dt.date(2025, 8, 15)
    )
    issued(btghu, "BC", dt.date(2021, 1, 4))
    term.start = dt.date(2021, 2, 1)  # the January report would fall back to the default term
    with pytest.raises(ValidationError):
        term.full_clean()
    term.refresh_from_db()
    term.end = dt.date(2025, 8, 30)  # moves no numbered document
    term.full_clean()
    term.save()
    overlapping = PartyTerm(unit=btghu, start=dt.date(2021, 1, 1), end=dt.date(2021, 6, 30))
    with pytest.raises(ValidationError):
        overlapping.full_clean()
    assert services.term_change_refusal(term, deleting=True)
    later = PartyTerm(unit=btghu, start=dt.date(2025, 8, 31), end=dt.date(2030, 8, 1))
    later.full_clean()
    assert issued(btghu, "BC", dt.date(2021, 5, 4)).number == 2


def test_the_admin_keeps_a_printed_code_and_a_used_term(btghu, personas, web):
    from trienkhai.documents.models import DocumentType

    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    term = PartyTerm.objects.create(
        unit=btghu, start=dt.date(2020, 8, 20), end=dt.date(2025, 8, 15)
    )
    issued(btghu, "BC", dt.date(2021, 1, 4))
    client = web(personas.admin)
    report = DocumentType.objects.get(profile="party", code="BC")
    page = client.get(f"/admin/documents/documenttype/{report.pk}/change/").content.decode()
    assert 'name="code"' not in page
    deleted = client.post(f"/admin/documents/partyterm/{term.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert PartyTerm.objects.filter(pk=term.pk).exists()


def test_series_numbered_before_the_change_go_on(btghu):
    """Migration documents.0005 rewrites an old key (term start, printed code) to the ids."""
    import importlib

    from django.apps import apps

    from trienkhai.documents.models import NumberSeries

    first = issued(btghu, "BC", dt.date(2021, 1, 4))
    NumberSeries.objects.filter(pk=first.series_id).update(scope_key="term:2020-10-01:BC")
    migration = importlib.import_module("trienkhai.documents.migrations.0005_series_keyed_by_ids")
    migration.rekey(apps, None)
    assert issued(btghu, "BC", dt.date(2021, 2, 4)).number == 2
