"""The document pages under /van-ban/: the register, the register books, a document, a
directive's progress, a unit's assignments, and the forms that write through the services.

Each view: decorators → access (which asks accounts.policy) → form → service → render or
redirect. The search goes through ``documents.search.search`` (the facade).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.common.errors import BadInput
from trienkhai.documents import (
    access,
    attachments,
    directives,
    outputs,
    register,
    search,
    services,
    signing,
)
from trienkhai.documents.forms import (
    AnswerExistingForm,
    AnswerNewForm,
    AssignForm,
    AttachForm,
    DraftEditForm,
    DraftForm,
    IncomingForm,
)
from trienkhai.documents.models import (
    Attachment,
    Document,
    DocumentLink,
    DocumentType,
    ElectronicCopy,
)
from trienkhai.orgs import queries
from trienkhai.orgs.access import read_upload
from trienkhai.orgs.models import Unit, UnitKind
from trienkhai.vn import sort_key
from trienkhai.web import downloads
from trienkhai.web import units as typed
from trienkhai.web.forms import posted, render_form
from trienkhai.web.labels import local_name

DIRECTIONS = {"di": Document.Direction.OUTGOING, "den": Document.Direction.INCOMING}
LIST_LIMIT = 200


def _name(unit: Unit) -> str:
    return queries.latest_versions([unit.pk])[unit.pk].name


def _default_unit(user) -> Unit:
    """The unit whose register opens first: the first unit the user holds a role at."""
    ids = policy.role_unit_ids(user)
    unit = Unit.objects.filter(pk__in=ids).order_by("code").first()
    if unit is None:
        raise PermissionDenied
    return unit


@login_required
@require_GET
def register_page(request):
    """A unit's register (outgoing or incoming) with a search box and filters."""
    text = request.GET.get("don-vi", "").strip()
    unit, unit_error = _register_unit(request.user, text) if text else (None, "")
    unit = unit or _default_unit(request.user)
    book = request.GET.get("so", "di")
    direction = DIRECTIONS.get(book, Document.Direction.OUTGOING)
    q, type_code = request.GET.get("q", ""), request.GET.get("loai", "")
    year_text, status = request.GET.get("nam", ""), request.GET.get("trang-thai", "")
    year = int(year_text) if year_text.isdigit() else None
    # With the units under it (its boards and cells): what the unit's people issued.
    below = request.GET.get("duoi") == "1"
    units = (
        sorted(queries.subtree_ids([unit.pk], unit.reference_date()) | {unit.pk})
        if below
        else [unit.pk]
    )
    found = search.search(
        Document.objects.filter(unit_id__in=units, direction=direction).select_related(
            "type", "unit"
        ),
        q=q,
        type=type_code,
        year=year,
        status=status,
    )
    documents = list(found[: LIST_LIMIT + 1])
    context = {
        "unit": unit,
        "unit_name": _name(unit),
        "book": "den" if direction == Document.Direction.INCOMING else "di",
        "documents": documents[:LIST_LIMIT],
        "more": len(documents) > LIST_LIMIT,
        "filters": {"q": q, "loai": type_code, "nam": year_text, "trang_thai": status},
        "below": below,
        "statuses": Document.Status.choices,
        "types": _type_choices(_profile(unit)),
        "year": year or timezone.localdate().year,
        "may_change": policy.can(request.user, policy.Action.CHANGE, unit),
        "unit_text": text
        if unit_error
        else typed.picked(queries.latest_versions([unit.pk])[unit.pk]),
        "unit_error": unit_error,
        "own_units": typed.own_units(request.user),
    }
    return render(request, "documents/register.html", context, status=400 if unit_error else 200)


def _register_unit(user, text: str) -> tuple[Unit | None, str]:
    """The unit a register's "Đơn vị" field names ("Name (CODE)", a name without accents,
    or a code), or None and what is wrong; 403/404 as for a code in a link."""
    found = typed.units_named(text, user)
    if len(found) == 1:
        return access.get_register(user, found[0].unit.code), ""
    if not found:
        return None, _("Không tìm thấy đơn vị “%(text)s”: chọn trong danh sách gợi ý.") % {
            "text": text
        }
    names = typed.listed(found[:5])
    return None, _("Có nhiều đơn vị tên “%(text)s”: %(names)s. Chọn một trong danh sách.") % {
        "text": text,
        "names": names,
    }


def _profile(unit: Unit) -> str:
    """The unit's system (Party or State), "" if it cannot be told (then every type)."""
    try:
        return services.profile_of(unit, unit.reference_date())
    except BadInput:
        return ""


def _type_choices(profile: str = "") -> list[tuple[str, str]]:
    """The document types by name for the register's filter: (what the search takes,
    name); of the register's system only, so that "Công văn" shows once."""
    seen: dict[str, str] = {}
    types = DocumentType.objects.order_by("sort_order", "name")
    for kind in types.filter(profile=profile) if profile else types:
        seen.setdefault(kind.label, local_name(kind))
    return sorted(seen.items(), key=lambda pair: sort_key(pair[1]))


@login_required
@require_GET
def book_page(request, unit_code: str, book: str, year: int):
    """Sổ đăng ký văn bản đi / đến of a year, as printed (ND30 Phụ lục IV)."""
    unit, direction = access.get_register(request.user, unit_code), _direction(book)
    columns, rows = _book(unit, direction, year)
    context = {
        "unit": unit,
        "unit_name": _name(unit),
        "book": book,
        "year": year,
        "title": _book_title(direction),
        "columns": columns,
        "rows": rows,
    }
    return render(request, "documents/book.html", context)


@login_required
@require_GET
def book_xlsx(request, unit_code: str, book: str, year: int):
    unit, direction = access.get_register(request.user, unit_code), _direction(book)
    columns, rows = _book(unit, direction, year)
    content = register.as_xlsx(_book_title(direction), _name(unit), year, columns, rows)
    # "Sổ đăng ký văn bản đi", not the book's heading in capitals.
    name = downloads.file_name(
        _book_title(direction).capitalize(),
        _name(unit),
        _("Năm %(year)s") % {"year": year},
        ext="xlsx",
    )
    return downloads.attachment(
        content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name
    )


def _direction(book: str) -> str:
    if book not in DIRECTIONS:
        raise Http404
    return DIRECTIONS[book]


def _book_title(direction: str) -> str:
    if direction == Document.Direction.INCOMING:
        return _("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN")
    return _("SỔ ĐĂNG KÝ VĂN BẢN ĐI")


def _book(unit: Unit, direction: str, year: int):
    entries = register.book_entries(unit, direction, year)
    names = {
        uid: v.name for uid, v in queries.latest_versions(d.issuer_id for d in entries).items()
    }
    columns = (
        register.incoming_columns()
        if direction == Document.Direction.INCOMING
        else register.outgoing_columns()
    )
    return columns, [register.row(d, names) for d in entries]


@login_required
@require_GET
def document_page(request, pk: int):
    """A document: its details, its links, its assignments, its attachments and what the
    user may do with it."""
    document = access.get_document(request.user, pk)
    return _document(request, document, AttachForm())


def _document(request, document: Document, attach_form: AttachForm, status: int = 200):
    links_out = DocumentLink.objects.filter(source=document).select_related("target__unit")
    links_in = DocumentLink.objects.filter(target=document).select_related("source__unit")
    seen = {
        d.pk
        for d in policy.allowed(
            request.user,
            policy.Action.VIEW,
            [link.target for link in links_out] + [link.source for link in links_in],
        )
    }
    full = access.may_see_all_progress(request.user, document)
    found = directives.progress(document)
    if not full:
        mine = {u.pk for u in access.assigned_units_seen_by(request.user, document)}
        found = found.visible(mine)
    may_change = policy.can(request.user, policy.Action.CHANGE, document)
    context = {
        "document": document,
        "unit_name": _name(document.unit),
        "issuer_name": _name(document.issuer) if document.issuer else document.issuer_name,
        "links_out": [link for link in links_out if link.target_id in seen],
        "links_in": [link for link in links_in if link.source_id in seen],
        "progress": found,
        "full": full,
        "may_issue": may_change and document.status == Document.Status.DRAFT,
        "may_assign": may_change and document.status in directives.ASSIGNABLE_STATUSES,
        "answerable": _answerable(request.user, found.everything),
        "may_edit": may_change and document.status == Document.Status.DRAFT,
        "issue_blockers": _issue_blockers(document)
        if may_change and document.status == Document.Status.DRAFT
        else [],
        "attachments": list(document.attachments.all()),
        "may_attach": may_change,
        "attach_form": attach_form,
        "previewable": PREVIEWABLE,
        "pdf": outputs.pdf_states([document.pk]).get(document.pk),
        **_signatures(request.user, document, may_change),
    }
    return render(request, "documents/document.html", context, status=status)


ISSUE_WORDS = {
    "signer": gettext_lazy("người ký"),
    "signer_authority": gettext_lazy("thẩm quyền ký"),
    "recipients": gettext_lazy("nơi nhận"),
}
"""The fields of ``services.ISSUE_FIELDS`` as the page names them."""


def _issue_blockers(document: Document) -> list[str]:
    """Why the draft cannot take a number yet, in the reader's words, for beside the
    disabled button; [] when it can. What ``services.issue`` refuses, read without a lock:
    the refusal itself stays there."""
    found = []
    missing = services.missing_to_issue(document)
    if missing:
        fields = ", ".join(str(ISSUE_WORDS[name]) for name in missing)
        found.append(_("Cần ghi %(fields)s trước khi ban hành.") % {"fields": fields})
    refusal = services.numbering_refusal(document.unit, document.date)
    if refusal is not None:
        found.append(refusal.shown)
    return found


def _signatures(user, document: Document, may_change: bool) -> dict:
    """The signatures of the document's PDF as it now stands, and what the user may do."""
    try:
        current = signing.current_pdf(document)
        found = signing.verify(current.data) if current is not None else []
        error = ""
    except BadInput as exc:
        current, found, error = None, [], exc.shown
    may_sign = may_change and current is not None and document.status == Document.Status.ISSUED
    copyable = document.status not in (Document.Status.DRAFT, Document.Status.CANCELLED)
    return {
        "copies": list(document.copies.all()),
        "may_copy": may_change and current is not None and copyable and signing.has_seal(document),
        "copy_kinds": ElectronicCopy.Kind.choices,
        "has_pdf": current is not None,
        "signatures": found,
        "signature_error": error,
        "may_seal": may_sign and signing.may_seal(document),
        "may_sign": may_sign,
    }


@login_required
@require_POST
def seal(request, pk: int):
    """The văn thư seals the issued document's PDF with the unit's certificate."""
    document = access.get_document(request.user, pk, policy.Action.CHANGE)
    try:
        made = signing.seal(acting_user=request.user, document=document)
    except BadInput as exc:
        messages.error(request, exc.shown)
    else:
        messages.success(
            request, _("Đã đóng dấu phát hành: %(signer)s.") % {"signer": made["signer"]}
        )
    return redirect(reverse("documents:document", args=[pk]) + "#signatures")


@login_required
@require_POST
def make_copy(request, pk: int):
    """An electronic copy of the document's PDF, signed with its unit's seal."""
    document = access.get_document(request.user, pk, policy.Action.CHANGE)
    try:
        made = signing.make_copy(
            acting_user=request.user, document=document, kind=request.POST.get("kind", "")
        )
    except BadInput as exc:
        messages.error(request, exc.shown)
    else:
        messages.success(
            request,
            _("Đã tạo bản sao điện tử (%(kind)s), ký lúc %(at)s.")
            % {"kind": made.get_kind_display(), "at": f"{made.signed_at:%H:%M:%S %d/%m/%Y}"},
        )
    return redirect(reverse("documents:document", args=[pk]) + "#copies")


@login_required
@require_POST
def sign_personally(request, pk: int):
    """One-time URLs for the signer's own signing tool (VGCA), and the page that hands
    them to it (static/documents/vgca.js calls ``vgca_sign_approved`` when the site
    loads VGCA's vgcaplugin.js, settings.VGCA_PLUGIN_URL)."""
    from django.conf import settings

    document = access.get_document(request.user, pk, policy.Action.CHANGE)
    back = reverse("documents:document", args=[pk])
    try:
        link, token = signing.open_link(acting_user=request.user, document=document)
    except BadInput as exc:
        messages.error(request, exc.shown)
        return redirect(back + "#signatures")
    download = request.build_absolute_uri(reverse("api:signing_pdf", args=[token]))
    upload = request.build_absolute_uri(reverse("api:signing_upload", args=[token]))
    context = {
        "document": document,
        "back": back,
        "download": download,
        "upload": upload,
        "expires": link.expires,
        "vgca": {
            "FileName": download,
            "FileUploadHandler": upload,
            "SessionId": "",
            "JWTToken": "",
        },
        "plugin": settings.VGCA_PLUGIN_URL,
    }
    return render(request, "documents/sign.html", context)


PREVIEWABLE = {Attachment.Kind.PDF, Attachment.Kind.JPEG, Attachment.Kind.PNG}
"""What a browser shows by itself: PDF (its own viewer), JPEG, PNG (not TIFF, not .docx)."""


@login_required
@require_POST
def attach(request, pk: int):
    """Attach a file from the document page: the API's checks (``attachments.attach``)."""
    document = access.get_document(request.user, pk, policy.Action.CHANGE)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            made = attachments.attach(
                acting_user=request.user,
                document=document,
                name=upload.name or "",
                data=read_upload(upload),
            )
        except BadInput as exc:
            form.add_error("file", exc.shown)
            return _document(request, document, form, status=exc.status)
        messages.success(request, _("Đã đính kèm %(name)s.") % {"name": made.name})
        return redirect(f"{reverse('documents:document', args=[pk])}#attachments")
    return _document(request, document, form, status=400)


@login_required
@require_GET
@xframe_options_sameorigin
def attachment(request, pk: int, attachment_id: int):
    """The file as uploaded: downloaded, or with ``?xem=1`` shown in the page (PDF, images)."""
    found = access.get_attachment(request.user, pk, attachment_id)
    path = attachments.file_path(found)
    if not path.is_file():
        raise Http404
    inline = request.GET.get("xem") == "1" and found.kind in PREVIEWABLE
    response = FileResponse(
        path.open("rb"),
        as_attachment=not inline,
        filename=found.name,
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _answerable(user, rows: list[directives.Row]) -> list[directives.Row]:
    """The rows the user may answer (or pass down): CHANGE on the assigned unit."""
    units = policy.allowed(user, policy.Action.CHANGE, {r.row.unit for r in rows})
    return [r for r in rows if r.row.unit in units]


@login_required
@require_GET
def directive_page(request, pk: int):
    """The issuer's view: "42/42 đã triển khai, 37 đúng hạn", who is missing, the cascade, reminders."""
    document = access.get_document(request.user, pk)
    by_code = request.GET.get("boi", "")
    by = access.get_register(request.user, by_code) if by_code else None
    if by is None and not access.may_see_all_progress(request.user, document):
        raise PermissionDenied
    found = directives.progress(document, by=by)
    context = {
        "document": document,
        "progress": found,
        "by_name": _name(found.by),
        "remind_text": "\n".join(
            _("%(name)s (%(code)s): hạn %(due)s, trễ %(days)s ngày")
            % {
                "name": r.name,
                "code": r.code,
                "due": r.due.strftime("%d/%m/%Y"),
                "days": r.days_late(found.today),
            }
            for r in found.reminders
        ),
    }
    return render(request, "documents/directive.html", context)


@login_required
@require_GET
def tasks_page(request, unit_code: str):
    """What was assigned to a unit ("được giao"), with a way to answer each task."""
    unit = access.get_register(request.user, unit_code)
    rows = directives.tasks_of([unit])
    context = {
        "unit": unit,
        "unit_name": _name(unit),
        "rows": rows,
        "today": timezone.localdate(),
        "may_answer": policy.can(request.user, policy.Action.CHANGE, unit),
    }
    return render(request, "documents/tasks.html", context)


# Forms -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def new_draft(request, unit_code: str):
    unit = access.get_issuer(request.user, unit_code)
    form = DraftForm(posted(request), initial={"date": timezone.localdate()})
    if form.is_valid():
        try:
            document = services.register_draft(
                acting_user=request.user, issuer=unit, **form.cleaned_data
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã vào sổ dự thảo. Bấm “Ban hành” để cấp số."))
            return redirect("documents:document", document.pk)
    context = {
        "form": form,
        "unit": unit,
        "unit_name": _name(unit),
        "title": _("Dự thảo văn bản đi"),
    }
    return render_form(request, "documents/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_draft(request, pk: int):
    """Change a draft's text and signature (as ``PATCH /api/v1/documents/{id}``)."""
    document = access.get_document(request.user, pk, policy.Action.CHANGE)
    if document.status != Document.Status.DRAFT:
        return redirect("documents:document", pk)
    initial = {name: getattr(document, name) for name in services.DRAFT_FIELDS}
    form = DraftEditForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            services.update_draft(acting_user=request.user, document=document, **form.cleaned_data)
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("documents:document", pk)
    context = {
        "form": form,
        "unit": document.unit,
        "unit_name": _name(document.unit),
        "title": _("Sửa dự thảo văn bản đi"),
        "submit": _("Lưu"),
    }
    return render_form(request, "documents/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_incoming(request, unit_code: str):
    unit = access.get_issuer(request.user, unit_code)
    today = timezone.localdate()
    form = IncomingForm(posted(request), initial={"received_date": today, "profile": "party"})
    if form.is_valid():
        try:
            document = services.register_incoming(
                acting_user=request.user, unit=unit, **form.cleaned_data
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("Đã vào sổ văn bản đến, số đến %(n)s.") % {"n": document.received_number}
            )
            return redirect("documents:document", document.pk)
    context = {
        "form": form,
        "unit": unit,
        "unit_name": _name(unit),
        "title": _("Vào sổ văn bản đến"),
    }
    return render_form(request, "documents/form.html", context)


@login_required
@require_POST
def issue(request, pk: int):
    """Take the next number, after a page that names it ("Cấp số 06-BC/BTGHU?"): a POST
    without the number shown (``so``), or with one another issue has taken since, asks."""
    document = access.get_document(request.user, pk, policy.Action.CHANGE)
    if document.status == Document.Status.DRAFT:
        back = reverse("documents:document", args=[pk])
        missing = services.missing_to_issue(document)
        symbol = services.next_symbol(document)
        shown = request.POST.get("so", "")
        if missing or shown != symbol:
            context: dict[str, object] = {
                "what": document.summary.splitlines()[0],
                "symbol": symbol,
                "changed": shown if shown and shown != symbol else "",
                "error": services.incomplete(missing) if missing else None,
                "action": reverse("documents:issue", args=[pk]),
                "back": back,
                "fix": reverse("documents:edit", args=[pk]),
                "carry": {},
            }
            return render(
                request, "web/confirm_number.html", context, status=400 if missing else 200
            )
    try:
        document = services.issue(acting_user=request.user, document=document)
    except BadInput as exc:
        messages.error(request, exc.shown)
    else:
        messages.success(request, _("Đã ban hành: số %(symbol)s.") % {"symbol": document.symbol})
    return redirect("documents:document", pk)


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk: int):
    """Give the document's task to units; ``?boi=CODE`` passes down a task the unit was given."""
    document = access.get_document(request.user, pk)
    by_code = request.GET.get("boi", "")
    by = access.get_issuer(request.user, by_code) if by_code else document.unit
    policy.require(request.user, policy.Action.CHANGE, by)
    kinds = [(k.code, k.name) for k in UnitKind.objects.all()]
    initial = {"how": "units", "expects": "KH", "level": 1}
    form = AssignForm(posted(request), kinds=kinds, initial=initial)
    if form.is_valid():
        try:
            made = directives.assign(
                acting_user=request.user,
                document=document,
                due=form.cleaned_data["due"],
                expects=form.expectation(),
                task=form.cleaned_data["task"],
                by=by,
                **form.selection(),
            )
        except BadInput as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã giao cho %(n)s đơn vị.") % {"n": made.rows.count()})
            url = reverse("documents:directive", args=[pk])
            return redirect(f"{url}?boi={by.code}" if by != document.unit else url)
    context = {
        "form": form,
        "document": document,
        "by": by,
        "by_name": _name(by),
        "children": queries.subtree(by, document.date, depth=1),
    }
    return render_form(request, "documents/assign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk: int, unit_code: str):
    """Answer a task: pick one of the unit's issued documents, or register and issue a new one."""
    directive = access.get_document(request.user, pk)
    unit = access.get_issuer(request.user, unit_code)
    rows = directives.rows_of(directives.assigned_rows(directive, unit))
    if not rows:
        raise Http404
    types = [r.row.assignment.expects_type for r in rows if r.row.assignment.expects_type]
    own = Document.objects.filter(
        issuer=unit,
        direction=Document.Direction.OUTGOING,
        status__in=directives.ANSWER_STATUSES,
        type__slug__in=[t.slug for t in types],
    ).order_by("-date")
    mode = request.POST.get("mode") if request.method == "POST" else None
    existing = AnswerExistingForm(
        request.POST if mode == "existing" else None, documents=list(own), prefix="existing"
    )
    initial = {
        "type": types[0].label if types else "",
        "date": timezone.localdate(),
        # document text: Vietnamese whatever the page's language
        "recipients": f"{_name(directive.unit)} (để báo cáo)\nLưu Văn phòng",
    }
    new = AnswerNewForm(request.POST if mode == "new" else None, prefix="new", initial=initial)
    bound = existing if mode == "existing" else new
    if mode and bound.is_valid():
        try:
            if mode == "existing":
                chosen = access.get_document(request.user, existing.cleaned_data["document"])
                directives.answer(
                    acting_user=request.user, directive=directive, unit=unit, document=chosen
                )
            else:
                chosen = directives.answer_with_new(
                    acting_user=request.user, directive=directive, unit=unit, **new.cleaned_data
                )
        except BadInput as exc:
            bound.add_service_error(exc)
        else:
            messages.success(
                request, _("Đã trả lời bằng văn bản %(symbol)s.") % {"symbol": chosen.symbol}
            )
            return redirect("documents:tasks", unit.code)
    context = {
        "directive": directive,
        "unit": unit,
        "unit_name": _name(unit),
        "rows": rows,
        "existing": existing,
        "new": new,
        "form": bound,
        "has_existing": existing.has_choices,
        "today": timezone.localdate(),
    }
    return render_form(request, "documents/answer.html", context)
