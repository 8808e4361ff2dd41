"""Totals per status (decision 0020): what a save and an approval cost.

Targets (issue 12, Speed):
- keeping totals live per status costs ≤ 1.3× today's save: a single-value save of a
  draft, in-process, against the same save with the receiver of ``values_changed``
  keeping only the totals of all values (``BASELINE=1``: the code before the statuses,
  run from another checkout with the same script);
- approving a 60 × 6 report (360 values) ≤ 50 ms.

Province → 20 districts → 50 communes each (1,000 communes, chains of 4 above a commune
with the country), a 60-indicator × 6-option half-yearly form reported by every commune.
"""

import datetime as dt
import time

from bench.measure import Measurement, repeat_ms
from trienkhai.common.actors import BENCH

TITLE = "Tổng theo trạng thái / totals per status (save, approve)"
DISTRICTS = 20
COMMUNES = 50
PERIOD = "2020S1"


def _tree(day: dt.date):
    from trienkhai.orgs import services as org_services
    from trienkhai.orgs.kinds import ROOT_CODE, ensure_standard_data
    from trienkhai.orgs.models import Unit, UnitKind

    ensure_standard_data()
    kind = {code: UnitKind.objects.get(code=code) for code in ("province", "district", "commune")}
    province = org_services.create_unit(
        acting_user=BENCH,
        code="TINH",
        name="Tỉnh thử",
        kind=kind["province"],
        parent=Unit.objects.get(code=ROOT_CODE),
        valid_from=day,
    )
    communes = []
    for d in range(DISTRICTS):
        district = org_services.create_unit(
            acting_user=BENCH,
            code=f"H{d:02d}",
            name=f"Huyện {d}",
            kind=kind["district"],
            parent=province,
            valid_from=day,
        )
        for c in range(COMMUNES):
            communes.append(
                org_services.create_unit(
                    acting_user=BENCH,
                    code=f"X{d:02d}{c:02d}",
                    name=f"Xã {d}-{c}",
                    kind=kind["commune"],
                    parent=district,
                    valid_from=day,
                )
            )
    return province, communes


def run(progress=print) -> list[Measurement]:
    from trienkhai.analytics import rebuild
    from trienkhai.reporting import services
    from trienkhai.reporting.models import Disaggregation
    from trienkhai.reporting.services import CellInput

    day = dt.date(2015, 1, 1)
    progress(f"creating {DISTRICTS * COMMUNES:,} communes")
    province, communes = _tree(day)
    rebuild.refresh()
    groups = Disaggregation.objects.create(code="doi_tuong", name="Đối tượng")
    for n in range(6):
        groups.options.create(code=f"nhom_{n}", name=f"Nhóm {n}", sort_order=n)
    indicators = [
        services.create_indicator(
            acting_user=BENCH, code=f"ct_{n:02d}", name=f"Chỉ tiêu {n}", disaggregation=groups
        )
        for n in range(60)
    ]
    form = services.create_form(
        acting_user=BENCH,
        code="RONG",
        name="Biểu 60 chỉ tiêu",
        owner=province,
        period_type="sixmonthly",
        indicators=indicators,
        units=communes,
        valid_from=day,
    )
    full = [CellInput(f"ct_{n:02d}", "12", option=f"nhom_{o}") for n in range(60) for o in range(6)]
    today = dt.date(2026, 1, 10)
    progress("filling 40 reports of 360 values, half approved")
    for unit in communes[:40]:
        services.save_values(
            acting_user=BENCH, form=form, unit=unit, period_id=PERIOD, cells=full, today=today
        )
        report = services.submit(acting_user=BENCH, form=form, unit=unit, period_id=PERIOD)
        if int(unit.code[-1]) % 2:
            services.approve(acting_user=BENCH, submission=report)

    # (a) a single-value save of a draft, the grid's save -------------------------------
    target = communes[-1]
    counter = iter(range(10**9))

    def save_one():
        services.save_values(
            acting_user=BENCH,
            form=form,
            unit=target,
            period_id=PERIOD,
            cells=[CellInput("ct_07", str(next(counter) % 97), option="nhom_3")],
            today=today,
        )

    progress("timing single saves")
    cpu_before = time.process_time()
    save = repeat_ms(save_one, runs=400, warmup=20)
    save_cpu = (time.process_time() - cpu_before) / 420 * 1000

    # (b) approving a 60 × 6 report -------------------------------------------------------
    progress("timing approvals of 60 × 6 reports")
    waiting = []
    for unit in communes[40:70]:
        services.save_values(
            acting_user=BENCH, form=form, unit=unit, period_id=PERIOD, cells=full, today=today
        )
        waiting.append(services.submit(acting_user=BENCH, form=form, unit=unit, period_id=PERIOD))
    queue = iter(waiting)
    cpu_before = time.process_time()
    approve = repeat_ms(
        lambda: services.approve(acting_user=BENCH, submission=next(queue)), runs=25, warmup=5
    )
    approve_cpu = (time.process_time() - cpu_before) / 30 * 1000
    return [
        Measurement(
            "status_save_ms",
            "single-value save of a draft (grid), in-process, with the live totals",
            round(save["median"], 2),
            "ms",
            30,
            f"median of {save['runs']} (p95 {save['p95']:.2f} ms; CPU {save_cpu:.2f} ms a "
            "save); the ratio to the save before the statuses is in the notes below",
        ),
        Measurement(
            "status_approve_ms",
            "approving a 60-indicator × 6-option report (360 values), in-process",
            round(approve["median"], 2),
            "ms",
            50,
            f"median of {approve['runs']} (p95 {approve['p95']:.2f} ms; CPU {approve_cpu:.2f} ms "
            "an approval)",
        ),
    ]
