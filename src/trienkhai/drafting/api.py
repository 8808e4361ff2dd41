"""/api/v1/reports: formal documents generated from templates and live figures. Thin."""

from django.http import HttpResponse
from ninja import Router, Schema

from trienkhai.drafting import access, names, services
from trienkhai.drafting.models import ReportTemplate

router = Router(tags=["reports"])


class ReportIn(Schema):
    template: str
    unit: str
    period: str
    format: str = "docx"
    issuer: str | None = None
    directive: str = ""
    status: str | None = None
    """The figures counted: approved, submitted or all; default: the template's."""


class TemplateOut(Schema):
    code: str
    name: str
    description: str
    profile: str
    document_type: str
    period_type: str
    spans: bool
    version: int


@router.get("/reports/templates", response=list[TemplateOut])
def list_templates(request):
    """The report templates with their codes (what ``POST /reports`` takes)."""
    access.require_any_view(request.user)
    return [
        {
            "code": t.code,
            "name": t.name,
            "description": t.description,
            "profile": t.profile,
            "document_type": t.document_type,
            "period_type": t.period_type,
            "spans": bool(t.definition.get("spans")),
            "version": t.version,
        }
        for t in ReportTemplate.objects.filter(is_active=True)
    ]


@router.post("/reports")
def generate(request, payload: ReportIn):
    """The report for (template, unit, period) as a draft .docx or .pdf (no number, nothing
    stored). 400 names an unknown template, indicator (with section and block), period
    or unit; 403 for a unit outside the caller's scope."""
    template = access.get_template(payload.template)
    unit = access.get_report_unit(request.user, payload.unit)
    issuer = access.get_report_unit(request.user, payload.issuer) if payload.issuer else None
    services.check_format(payload.format)
    report = services.new_report(
        acting_user=request.user,
        template=template,
        unit=unit,
        period=payload.period,
        issuer=issuer,
        directive=payload.directive,
        figure_status=payload.status,
    )
    data = services.render(report, payload.format)
    response = HttpResponse(data, content_type=services.FORMATS[payload.format])
    response["Content-Disposition"] = names.content_disposition(report, payload.format)
    return response
