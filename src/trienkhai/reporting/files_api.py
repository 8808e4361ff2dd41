"""/api/v1 for files: a unit's form as .xlsx, and bulk values as CSV or XLSX. Thin."""

from django.http import HttpResponse
from ninja import File, Query, Router
from ninja.files import UploadedFile

from trienkhai.accounts import policy
from trienkhai.orgs.access import read_upload
from trienkhai.reporting import access, bulk, excel, services

router = Router(tags=["reporting files"])


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/forms/{code}/xlsx")
def download_form(request, code: str, unit: str, period: str):
    """The form for ``unit`` and ``period`` as .xlsx, pre-filled, with a signed hidden sheet."""
    form = access.get_form(request.auth, code)
    target = access.get_unit(request.auth, unit, policy.Action.ENTER_DATA)
    data = excel.form_workbook(form, target, period)
    return _attachment(data, excel.XLSX_CONTENT_TYPE, f"{form.code}-{target.code}-{period}.xlsx")


@router.post("/forms/{code}/xlsx")
def upload_form(request, code: str, unit: str, period: str, file: File[UploadedFile]):
    """Save a filled workbook: every cell or none; 400 "invalid_workbook" lists each bad cell.

    A workbook made for another form, unit or period ("wrong_workbook") or whose hidden
    signature is missing or altered ("foreign_workbook") is refused.
    """
    form = access.get_form(request.auth, code)
    target = access.get_unit(request.auth, unit, policy.Action.ENTER_DATA)
    cells = excel.read_form_workbook(read_upload(file), form=form, unit=target, period_id=period)
    result = services.save_values(
        acting_user=request.auth, form=form, unit=target, period_id=period, cells=cells
    )
    return {"saved": result.saved, "warnings": result.warnings}


@router.get("/datavalues/export")
def export_values(
    request, form: str, period: str, unit: str, fmt: str = Query("csv", alias="format")
):
    """Values of the units under ``unit`` that report ``form`` for ``period``, as csv or xlsx."""
    found = access.get_form(request.auth, form)
    parent = access.get_unit(request.auth, unit)
    units = bulk.export_units(request.auth, found, period, under=parent)
    data = bulk.export_values(found, period, units, fmt=fmt)
    kind = excel.XLSX_CONTENT_TYPE if fmt == "xlsx" else bulk.CSV_CONTENT_TYPE
    return _attachment(data, kind, f"{found.code}-{parent.code}-{period}.{fmt}")


@router.post("/datavalues/import")
def import_values(request, file: File[UploadedFile]):
    """Values from a CSV or XLSX file (form, unit, period, indicator, option, value, comment).

    All rows or none; 400 "invalid_file" lists each bad row, including units you may
    not enter data for.
    """
    policy.require(request.auth, policy.Action.ENTER_DATA)
    saved = bulk.import_values(
        acting_user=request.auth, name=file.name or "", data=read_upload(file)
    )
    return {"saved": saved}
