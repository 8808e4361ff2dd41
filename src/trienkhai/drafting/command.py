"""``trienkhai report``: a report from a template, a unit and a period, to .docx or .pdf.

    trienkhai report --list
    trienkhai report --pending        make the files of issued reports still waiting for them
    trienkhai report so-ket-6-thang --unit HU-VT --issuer BTGHU-VT --period 2020S1 -o bc.docx

The file is a draft (no number; nothing is stored): issuing, which takes a number from
the register, happens on the web page or through the services. The command runs as the
operator of the installation (like ``trienkhai manage``), so no user policy applies.
Bad input prints the bilingual message and where, and exits 2.
"""

import argparse
import sys
from pathlib import Path


def add_parser(sub) -> None:
    """Register the subcommand on the ``trienkhai`` parser."""
    report = sub.add_parser("report", help="a report from a template, to .docx or .pdf")
    report.add_argument("template", nargs="?", help="template code (see --list)")
    report.add_argument("--list", action="store_true", help="list the templates and their codes")
    report.add_argument(
        "--pending",
        action="store_true",
        help="make the .docx/.pdf of issued reports still waiting for them (e.g. from cron)",
    )
    report.add_argument("--unit", help="whose figures (unit code, e.g. HU-VT)")
    report.add_argument("--period", help="2020S1, 2021, or a span 2019..2021")
    report.add_argument("--issuer", help="who issues it (default: the unit), e.g. BTGHU-VT")
    report.add_argument("--directive", default="", help="the directive it answers, e.g. 217-CV/HU")
    report.add_argument(
        "--date", help="the report's date, dd/mm/yyyy (default: today, or the issuer's last day)"
    )
    report.add_argument("-o", "--output", help="out.docx or out.pdf")
    report.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from trienkhai.cli import _migrate, _setup

    _setup()
    _migrate()
    from trienkhai.common import actors
    from trienkhai.common.errors import BadInput
    from trienkhai.drafting import catalogue, services
    from trienkhai.drafting.access import get_template
    from trienkhai.drafting.models import ReportTemplate
    from trienkhai.drafting.pdf import ConversionError
    from trienkhai.orgs.models import Unit
    from trienkhai.vn import parse_date

    if args.pending:
        return _make_pending()
    catalogue.load_templates()
    if args.list:
        for t in ReportTemplate.objects.filter(is_active=True):
            span = " (span)" if t.definition.get("spans") else ""
            print(f"{t.code:<20} {t.period_type}{span:<8} {t.profile:<7} {t.name}")
        return 0
    missing = [
        flag
        for flag, value in (("TEMPLATE", args.template), ("--unit", args.unit),
                            ("--period", args.period), ("-o", args.output))
        if not value
    ]  # fmt: skip
    if missing:
        print(f"Thiếu / missing: {', '.join(missing)} (trienkhai report --help)", file=sys.stderr)
        return 2
    output = Path(args.output)
    fmt = output.suffix.lower().lstrip(".")
    try:
        services.check_format(fmt)
        template = get_template(args.template)
        units = {u.code: u for u in Unit.objects.filter(code__in=[args.unit, args.issuer or ""])}
        for code in filter(None, (args.unit, args.issuer)):
            if code not in units:
                raise BadInput("unknown_unit", f"Không có đơn vị / unknown unit: {code}")
        try:
            day = parse_date(args.date) if args.date else None
        except ValueError as exc:
            raise BadInput("invalid_date", str(exc)) from exc
        report = services.new_report(
            acting_user=actors.CLI,
            template=template,
            unit=units[args.unit],
            period=args.period,
            issuer=units.get(args.issuer or ""),
            directive=args.directive,
            date=day,
        )
        data = services.render(report, fmt)
    except BadInput as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except ConversionError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    output.write_bytes(data)
    print(f"{output} ({len(data):,} bytes): {template.code} {args.unit} {report.period}")
    return 0


def _make_pending() -> int:
    """Make what issued reports lack; 0 if none is left pending, 1 otherwise."""
    from trienkhai.common import actors
    from trienkhai.drafting import services
    from trienkhai.drafting.pdf import ConversionError

    left = 0
    for report in services.pending_reports():
        label = report.document.symbol if report.document else str(report.pk)
        try:
            services.make_files(acting_user=actors.CLI, report=report)
        except ConversionError as exc:
            left += 1
            print(f"{label}: {exc}", file=sys.stderr)
            continue
        print(f"{label}: .docx, .pdf")
    return 1 if left else 0
