"""The analytics pages: pivot table, period comparison, chart, map (or tree-map).

Each page reads its filters from the query string (a view is a link to share), asks
``accounts.policy`` whether the user may view the chosen unit (403 otherwise), asks the
rollup engine for every figure, and draws. Bad filters answer 400 with the form and its
messages; nothing is computed.
"""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from trienkhai.accounts import policy
from trienkhai.analytics import charts, defaults, maps, pivot, selection
from trienkhai.analytics.forms import ChartForm, CompareForm, FiltersForm, PivotForm
from trienkhai.analytics.pivot import Member
from trienkhai.orgs.access import require_some
from trienkhai.reporting.periods import parse, parse_span, span_label
from trienkhai.web.downloads import attachment, file_name
from trienkhai.web.forms import for_user
from trienkhai.web.labels import local_measure, local_name

PAGE_TITLES = {
    "pivot": gettext_lazy("Bảng tổng hợp"),
    "compare": gettext_lazy("So sánh kỳ"),
    "chart": gettext_lazy("Biểu đồ"),
    "map": gettext_lazy("Bản đồ"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SERIES = 8


def _page(request, form_class, template: str, build, **extra) -> HttpResponse:
    """The shared shape: unbound → the empty form and the saved views; bound → build or 400."""
    require_some(request.user, policy.Action.VIEW)
    # A link from a unit page names only the unit: open the empty form on it.
    bound = request.GET if set(request.GET) - {"don_vi"} else None
    initial = {**defaults.initial(request.user), **request.GET.dict()}
    form = for_user(form_class(bound, initial=initial), request.user)
    context = {
        "form": form,
        "presets": defaults.presets(request.user),
        "query": request.GET.urlencode(),
        "dimension_labels": pivot.DIMENSION_LABELS,
        "page_title": PAGE_TITLES[extra["tab"]],
        **extra,
    }
    if form.is_bound and form.is_valid():
        context.update(build(form.cleaned_data))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def _resolve(user, data: dict, *, periods=None, by_option: bool = False) -> selection.Selection:
    return selection.resolve(
        user,
        unit=data["don_vi"],
        level=data["cap"],
        indicators=data["chi_tieu"],
        periods=periods or data["ky"],
        as_of=data.get("ngay"),
        by_option=by_option,
        status=data.get("trang_thai") or None,
    )


def _pivot(user, data: dict) -> tuple[selection.Selection, pivot.Pivot]:
    placed = [d for d in (data["hang"], data.get("hang2"), data["cot"]) if d]
    chosen = _resolve(user, data, by_option="option" in placed)
    members = chosen.members()
    rows = [d for d in (data["hang"], data.get("hang2")) if d]
    rows += [d for d in pivot.DIMENSIONS if d not in placed and len(members[d]) > 1]
    table = pivot.layout(
        rows=rows,
        columns=[data["cot"]],
        members=members,
        totals=chosen.totals(),
        values=selection.figures(chosen),
    )
    return chosen, table


@login_required
@require_GET
def pivot_page(request):
    """Rows and columns chosen among unit, period, indicator and option; totals from the engine."""

    def build(data: dict) -> dict:
        chosen, table = _pivot(request.user, data)
        fixed = [m.label for d, m in table.fixed.items() if d != "option" or m.key]
        return {"selection": chosen, "pivot": table, "fixed": fixed}

    return _page(request, PivotForm, "analytics/pivot.html", build, tab="pivot")


@login_required
@require_GET
def pivot_download(request, fmt: str):
    """The same table as .xlsx or .csv (the page's query string)."""
    require_some(request.user, policy.Action.VIEW)
    form = for_user(PivotForm(request.GET), request.user)
    if not form.is_valid():
        return render(
            request,
            "analytics/pivot.html",
            {"form": form, "tab": "pivot", "page_title": PAGE_TITLES["pivot"]},
            status=400,
        )
    chosen, table = _pivot(request.user, form.cleaned_data)
    when = span_label([parse(p) for p in chosen.periods])
    name = file_name(_("Bảng tổng hợp"), chosen.unit_label, when, ext=fmt)
    if fmt == "csv":
        return attachment(pivot.to_csv(table), "text/csv; charset=utf-8", name)
    title = _("Bảng tổng hợp số liệu: %(unit)s") % {"unit": chosen.unit_label}
    return attachment(pivot.to_xlsx(table, title=title, notes=chosen.notes()), XLSX, name)


def change(now: Decimal | None, before: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """(now − before, the change in % of before): None where a figure is missing or before is 0."""
    if now is None or before is None:
        return None, None
    difference = now - before
    percent = (difference * 100 / before).quantize(Decimal("0.1")) if before else None
    return difference, percent


@login_required
@require_GET
def compare_page(request):
    """This period against another (2021S1 vs 2020S1): both figures, the change and the %."""

    def build(data: dict) -> dict:
        now, before = data["ky"], data["so_voi"]
        chosen = _resolve(request.user, data, periods=parse_span(now))
        chosen.periods, chosen.period_total = [before, now], None
        values = selection.figures(chosen)
        units = chosen.units + (
            [Member(chosen.unit.code, chosen.totals()["unit"].label)]  # type: ignore[union-attr]
            if chosen.level > 0
            else []
        )
        groups = []
        for indicator in chosen.indicators:
            lines = []
            for unit in units:
                a = values.get((indicator.code, "", before, unit.key))
                b = values.get((indicator.code, "", now, unit.key))
                difference, percent = change(b, a)
                lines.append(
                    {
                        "unit": unit,
                        "before": a,
                        "now": b,
                        "change": difference,
                        "percent": percent,
                        "is_total": unit.key == chosen.unit.code and chosen.level > 0,
                    }
                )
            groups.append({"indicator": indicator, "lines": lines})
        return {"selection": chosen, "groups": groups, "now": now, "before": before}

    return _page(request, CompareForm, "analytics/compare.html", build, tab="compare")


@login_required
@require_GET
def chart_page(request):
    """A bar chart (units, or periods of one unit) or a line chart over the periods."""

    def build(data: dict) -> dict:
        chosen = _resolve(request.user, data)
        values = selection.figures(chosen)
        if data["loai"] == "duong":
            return {"selection": chosen, **_line(chosen, values)}
        return {"selection": chosen, **_bars(chosen, values)}

    return _page(request, ChartForm, "analytics/chart.html", build, tab="chart")


def _bar_period(chosen: selection.Selection) -> str:
    return chosen.period_total or chosen.periods[-1]


def _bars(chosen: selection.Selection, values: dict) -> dict:
    indicator = chosen.indicators[0]
    if chosen.level > 0:
        period = _bar_period(chosen)
        bars = [
            charts.Bar(u.label, values.get((indicator.code, "", period, u.key)))
            for u in chosen.units
        ]
        what = _("theo đơn vị, %(period)s") % {
            "period": span_label(parse_span(period), inline=True)
        }
    else:
        bars = [
            charts.Bar(
                chosen.period_labels[p], values.get((indicator.code, "", p, chosen.unit.code))
            )
            for p in chosen.periods
        ]
        what = _("theo kỳ")
    title = f"{local_name(indicator)} — {chosen.unit_label}, {what}"
    desc = _("Biểu đồ cột, %(n)d cột; số liệu ở bảng dưới biểu đồ.") % {"n": len(bars)}
    svg = charts.bar_chart(bars, title=title, desc=desc)
    table = [(b.label, b.value) for b in bars]
    return {"svg": svg, "title": title, "bar_table": table, "indicator": indicator}


def _line(chosen: selection.Selection, values: dict) -> dict:
    labels = [chosen.period_labels[p] for p in chosen.periods]
    if chosen.level == 0 or len(chosen.indicators) > 1:
        unit = chosen.unit.code  # the total of the chosen unit
        series = [
            charts.Series(
                local_name(i), [values.get((i.code, "", p, unit)) for p in chosen.periods]
            )
            for i in chosen.indicators
        ]
        title = _("Diễn biến qua các kỳ — %(unit)s") % {"unit": chosen.unit_label}
    else:
        indicator = chosen.indicators[0]
        series = [
            charts.Series(
                u.label, [values.get((indicator.code, "", p, u.key)) for p in chosen.periods]
            )
            for u in chosen.units
        ]
        series.sort(key=lambda s: -sum(float(v) for v in s.values if v is not None))
        series = series[:MAX_SERIES]
        title = _("%(indicator)s qua các kỳ — các đơn vị lớn nhất") % {
            "indicator": local_name(indicator)
        }
    desc = _("Biểu đồ đường, %(n)d đường qua %(k)d kỳ; số liệu ở bảng dưới biểu đồ.") % {
        "n": len(series),
        "k": len(labels),
    }
    svg = charts.line_chart(labels, series, title=title, desc=desc)
    return {"svg": svg, "title": title, "labels": labels, "series": series}


@login_required
@require_GET
def map_page(request):
    """Provinces coloured by a figure; units without an outline as a tree-map."""

    def build(data: dict) -> dict:
        chosen = _resolve(request.user, data)
        values = selection.figures(chosen, unit_total=False)
        indicator = chosen.indicators[0]
        period = _bar_period(chosen)
        label = chosen.period_labels.get(period, period)
        title = f"{local_name(indicator)} — {chosen.unit_label}, {label}"
        outlines = selection.outlines_for([u.key for u in chosen.units])
        figures = [values.get((indicator.code, "", period, u.key)) for u in chosen.units]
        legend = local_measure(indicator.unit_of_measure) or local_name(indicator)
        off_map = [u.label for u in chosen.units if not outlines.get(u.key)]
        if chosen.units and len(off_map) * 2 <= len(chosen.units):
            regions = [
                maps.Region(u.label, v, outlines[u.key])
                for u, v in zip(chosen.units, figures, strict=True)
                if outlines.get(u.key)
            ]
            desc = _("Bản đồ %(n)d tỉnh, thành phố, tô màu theo số liệu; bảng số liệu ở dưới.") % {
                "n": len(regions)
            }
            svg = maps.choropleth(regions, title=title, desc=desc, legend_title=legend)
            kind = "map"
        else:
            tiles = [maps.Tile(u.label, v) for u, v in zip(chosen.units, figures, strict=True)]
            desc = _("Sơ đồ ô: mỗi ô một đơn vị, diện tích theo số liệu; bảng số liệu ở dưới.")
            svg = maps.treemap(tiles, title=title, desc=desc, legend_title=legend)
            kind = "treemap"
        table = sorted(
            zip([u.label for u in chosen.units], figures, strict=True),
            key=lambda r: -(float(r[1]) if r[1] is not None else -1),
        )
        return {
            "selection": chosen,
            "svg": svg,
            "kind": kind,
            "title": title,
            "bar_table": table,
            "off_map": off_map if kind == "map" else [],
        }

    return _page(request, FiltersForm, "analytics/map.html", build, tab="map")
