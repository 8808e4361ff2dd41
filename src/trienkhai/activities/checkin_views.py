"""The check-in pages (decision 0045): a session's page for the organiser's secretary
(the code, its QR code, the list to tick, the queue sent from the phone), and the public
pages a participant's phone opens (/diem-danh/, /diem-danh/<code>/).

The secretary's pages ask access.get_session for CHANGE on the organiser. The public
pages are authorised by the code alone, braked against guessing like /xac-minh/. Their
JSON answers (for the pages' own script, activities/checkin.js) speak the reader's
language; the API (checkin_api.py) speaks both.
"""

import json
import math

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts import policy
from trienkhai.accounts.lockout import client_ip
from trienkhai.activities import access, checkin
from trienkhai.activities.models import Audience, Person, Session
from trienkhai.common.errors import BadInput
from trienkhai.orgs import queries
from trienkhai.vn.text import UNIT_ABBREVIATIONS


class CheckInForm(forms.Form):
    """A person's own details, as a row of a paper list: nothing more (decision 0040)."""

    name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=200)
    unit = forms.CharField(
        label=gettext_lazy("Đơn vị"),
        max_length=300,
        help_text=gettext_lazy("Gõ vài chữ của tên đơn vị (không cần dấu) rồi chọn."),
    )
    position = forms.CharField(label=gettext_lazy("Chức vụ"), max_length=200, required=False)
    audience = forms.ChoiceField(
        label=gettext_lazy("Đối tượng"),
        choices=[("", gettext_lazy("(không ghi)")), *Audience.choices],
        required=False,
    )

    def __init__(self, data=None, *, prefix_id: str = "") -> None:
        super().__init__(data, auto_id=f"{prefix_id}%s" if prefix_id else "id_%s")
        self.fields["name"].widget.attrs.update(autocomplete="off")
        self.fields["unit"].widget.attrs.update(
            {"list": f"{prefix_id or 'id_'}units", "autocomplete": "off", "spellcheck": "false"}
        )

    def item(self, client_id: str) -> checkin.CheckIn:
        data = self.cleaned_data
        fields = ("name", "unit", "position", "audience")
        return checkin.CheckIn(client_id, **{f: data.get(f) or "" for f in fields})


def _qr(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(
        scale=6,
        border=2,
        omitsize=True,
        title=_("Mã QR điểm danh: quét bằng máy ảnh của điện thoại"),
    )
    # An image named by its <title>, for a screen reader and axe.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # our own address, no input


def _units(session: Session, field_id: str, search_url: str) -> tuple[list, dict]:
    """The units the page carries (its datalist, offered without network) and what its
    script needs to offer them as one types: the field, and the address that searches
    the rest when the session reaches more units than a page carries."""
    places = checkin.reach(session)
    more = len(places) > checkin.UNITS_LISTED
    script = {
        "field": field_id,
        "search": search_url if more else "",
        "label": _("Gợi ý"),
        "found": _("{n} đơn vị gợi ý"),
        "none": _("Không tìm thấy đơn vị nào"),
        "short": UNIT_ABBREVIATIONS,  # "du": "dang uy": "ĐU Yên Thịnh" offered offline too
    }
    return places[: checkin.UNITS_LISTED], script


def _found(session: Session, request) -> JsonResponse:
    """The session's units matching ``?q=`` (accents optional), for the pages' script."""
    text = request.GET.get("q", "")[:100]
    found = checkin.matching(session, text) if len(text.strip()) >= 2 else []
    units = [{"value": p.shown, "context": "" if p.shown != p.name else p.context} for p in found]
    return JsonResponse({"units": units})


def _public_url(request, path: str) -> str:
    """The address of ``path`` as participants' phones reach the site: TRIENKHAI_SITE_URL
    when it is set (behind a proxy, or opened by the secretary at an inner address, the
    request's host is not what a phone in the hall can open), else the request's host."""
    if settings.SITE_URL != settings.SITE_URL_DEFAULT:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def _organiser_name(session: Session) -> str:
    return queries.latest_versions([session.event.organiser_id])[session.event.organiser_id].name


# The secretary's page ----------------------------------------------------------------------


@login_required
@require_GET
def secretary(request, pk: int):
    """A session's check-in: its code (QR and typed), the people to tick, a form for
    someone not on the list; the page keeps working offline (activities/checkin.js)."""
    session = access.get_session(request.user, pk, policy.Action.CHANGE)
    return _secretary_page(request, session)


def _secretary_page(request, session: Session, form: CheckInForm | None = None, status=200):
    url = ""
    if session.check_in_code:
        address = reverse("activities:check_in", args=[checkin.grouped(session.check_in_code)])
        url = _public_url(request, address)
    roster = checkin.roster(request.user, session)
    search = reverse("activities:check_in_session_units", args=[session.pk])
    places, units = _units(session, "new-unit", search)
    context = {
        "session": session,
        "event": session.event,
        "organiser_name": _organiser_name(session),
        "is_open": session.is_check_in_open(),
        "code": checkin.grouped(session.check_in_code) if session.check_in_code else "",
        "url": url,
        "enter_url": _public_url(request, reverse("activities:check_in_form")),
        "qr": _qr(url) if session.is_check_in_open() else "",
        "hours": checkin.HOURS,
        "default_hours": checkin.DEFAULT_HOURS,
        "roster": roster,
        "form": form or CheckInForm(prefix_id="new-"),
        "mark_url": reverse("activities:check_in_mark", args=[session.pk]),
        "places": places,
        "undo_url": reverse("activities:check_in_undo", args=[session.pk]),
        "script": {
            "units": units,
            "mode": "secretary",
            "key": f"trienkhai-checkin-{session.pk}",
            "url": reverse("activities:check_in_sync", args=[session.pk]),
            "text": {
                "present": _("Có mặt"),
                "pending": _("Chờ gửi"),
                "refused": _("Không ghi được"),
                "sending": _("Đang gửi {n} lượt…"),
                "waiting": _("{n} lượt chờ gửi: sẽ tự gửi lại."),
                "offline": _("Mất mạng: {n} lượt chờ gửi, giữ trong máy này."),
                "sent": _("Đã gửi hết."),
                "already": _("{n} lượt đã có từ trước, không đếm lại."),
                "refused_item": _("{name}: {message}"),
                "failed": _("Máy chủ chưa nhận (lỗi {status}): sẽ thử lại."),
                "login": _(
                    "Phiên đăng nhập đã hết: hãy đăng nhập lại rồi mở lại trang này; {n} lượt "
                    "vẫn chờ trong máy."
                ),
                "missing": _("Cần ghi họ và tên và đơn vị."),
                "undo": _("Bỏ có mặt: {name}"),
                "mark": _("Có mặt: {name}"),
                "undone": _("Đã bỏ lượt có mặt của {name} ở buổi này."),
                "not_present": _("{name} không còn có mặt ở buổi này."),
                "undo_offline": _("Mất mạng: chưa bỏ được, hãy thử lại khi có mạng."),
                "undo_login": _("Phiên đăng nhập đã hết: hãy đăng nhập lại rồi bỏ lại."),
                "undo_has_certificate": _(
                    "{name} đã được cấp giấy chứng nhận của hoạt động: thu hồi giấy trước "
                    "khi bỏ lượt có mặt."
                ),
                "undo_forbidden": _("{name} thuộc đơn vị bạn không quản lý: không bỏ được."),
            },
            "fields": FIELD_OF,
            # DELETE …/check-ins/{person}: the script puts the person for the 0.
            "undo": reverse("api:check_in_remove", args=[session.pk, 0]),
        },
    }
    return render(request, "activities/checkin/secretary.html", context, status=status)


@login_required
@require_GET
def secretary_units(request, pk: int):
    """The units of the session matching ``?q=``, for the secretary's form when the
    session reaches more units than the page carries."""
    session = access.get_session(request.user, pk, policy.Action.CHANGE)
    return _found(session, request)


@login_required
@require_POST
def code(request, pk: int):
    """Open the check-in (``gio``: hours), give it a new code (``ma_moi``), or close it."""
    session = access.get_session(request.user, pk, policy.Action.CHANGE)
    action = request.POST.get("viec", "")
    try:
        if action == "dong":
            checkin.close_code(acting_user=request.user, session=session)
            messages.success(request, _("Đã đóng điểm danh."))
        elif action in {"mo", "ma_moi"}:
            hours = request.POST.get("gio", str(checkin.DEFAULT_HOURS))
            hours_n = int(hours) if hours.isdigit() and len(hours) < 3 else 0
            session = checkin.open_code(
                acting_user=request.user, session=session, hours=hours_n, new=action == "ma_moi"
            )
            text = (
                _("Đã đổi mã điểm danh: %(code)s.")
                if action == "ma_moi"
                else _("Đã mở điểm danh, mã %(code)s.")
            )
            messages.success(request, text % {"code": checkin.grouped(session.check_in_code)})
        else:
            raise BadInput("invalid_action", "Việc không hợp lệ / invalid action")
    except BadInput as exc:
        messages.error(request, exc.shown)
    return redirect("activities:check_in_session", session.pk)


@login_required
@require_POST
def mark(request, pk: int):
    """The secretary's list without the script (the script sends the same through
    ``sync``, queued offline): "Có mặt" by a name on the list (``nguoi``: their id) or
    the form for someone not on it, one check-in; the page again, the outcome said at
    the top, a refused form kept as typed with the reason beside its field (400)."""
    session = access.get_session(request.user, pk, policy.Action.CHANGE)
    person = request.POST.get("nguoi", "").strip()
    form = None
    if person:
        item = checkin.CheckIn(client_id="", person=person)
    else:
        form = CheckInForm(request.POST, prefix_id="new-")
        if not form.is_valid():
            return _secretary_page(request, session, form, status=400)
        item = form.item("")
    (answer,) = checkin.check_in(acting_user=request.user, session=session, items=[item])
    refusal = answer.refusal
    if refusal is not None:
        if form is not None:
            form.add_error(_field_of(refusal.code), refusal.shown)
        else:
            messages.error(request, refusal.shown)
        return _secretary_page(request, session, form, status=refusal.status)
    found = Person.objects.filter(pk=answer.person or 0).values_list("name", flat=True)
    text = (
        _("Đã ghi có mặt: %(name)s.")
        if answer.status == checkin.Answer.COUNTED
        else _("%(name)s đã được điểm danh ở buổi này từ trước.")
    )
    messages.success(request, text % {"name": found.first() or ""})
    return redirect(reverse("activities:check_in_session", args=[session.pk]) + "#roll")


@login_required
@require_POST
def undo(request, pk: int):
    """Take back one person's attendance at the session (``nguoi``: their id): a wrong
    tap, someone checked in who was not there. The session's managers, who may name the
    person (checkin.remove); the page then shows the count without them."""
    session = access.get_session(request.user, pk, policy.Action.CHANGE)
    text = request.POST.get("nguoi", "").strip()
    try:
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            raise BadInput("invalid_person", "Cần chọn một người / choose a person")
        person = checkin.remove(acting_user=request.user, session=session, person_id=int(text))
    except BadInput as exc:
        messages.error(request, exc.shown)
    else:
        text = _("Đã bỏ lượt có mặt của %(name)s ở buổi này.")
        messages.success(request, text % {"name": person.name})
    return redirect(reverse("activities:check_in_session", args=[session.pk]) + "#roll")


def _json_body(request) -> object:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadInput("invalid_json", "JSON không hợp lệ / invalid JSON") from None


def _answer(answer: checkin.Answer) -> dict:
    found: dict = {"client_id": answer.client_id, "status": answer.status, "person": answer.person}
    if answer.refusal is not None:
        found["code"] = answer.refusal.code
        found["message"] = answer.refusal.shown
    return found


@login_required
@require_POST
def sync(request, pk: int):
    """The secretary's queue (JSON ``{"check_ins": [...]}``), each answered on its own.
    A user logged out meanwhile is sent to log in, which the page's script sees as such
    (it does not follow the redirect): the phone keeps its queue."""
    try:
        session = access.get_session(request.user, pk, policy.Action.CHANGE)
        body = _json_body(request)
        rows = body.get("check_ins") if isinstance(body, dict) else None
        if not isinstance(rows, list):
            raise BadInput("invalid_input", "Cần danh sách check_ins / send check_ins as a list")
        items = [checkin.CheckIn.of(row) for row in rows]
        answers = checkin.check_in(acting_user=request.user, session=session, items=items)
    except BadInput as exc:
        return JsonResponse(exc.to_screen_dict(), status=exc.status)
    except PermissionDenied:
        message = _("Bạn không có quyền điểm danh buổi này.")
        return JsonResponse({"error": {"code": "forbidden", "message": message}}, status=403)
    return JsonResponse(
        {
            "results": [_answer(a) for a in answers],
            "attendances": session.attendances.count(),
        }
    )


# The participant's pages (public) ------------------------------------------------------------


def _public(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the code is in the address
    return response


@never_cache
@require_GET
def enter_code(request):
    """The form to type a code (?ma=), for a phone whose camera does not read QR codes."""
    typed = request.GET.get("ma", "")
    error = ""
    if typed:
        found = checkin.read_code(typed)
        if found is not None:
            return redirect("activities:check_in", checkin.grouped(found))
        error = _("Mã điểm danh gồm 8 chữ và số, ví dụ ABCD-EFGH: hãy xem lại mã trên màn hình.")
    context = {"typed": typed, "error": error}
    status = 400 if error else 200
    return _public(render(request, "activities/checkin/enter.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def participant(request, code: str):
    """A participant checks themselves in with the session's code: a form (it works
    without a script); with the script, a queue kept on the phone while offline."""
    session, wait = checkin.session_for_code(code, client_ip(request))
    wants_json = "application/json" in request.headers.get("Accept", "")
    if session is None:
        return _public(_no_session(request, code, wait, wants_json=wants_json))
    if request.method == "POST" and wants_json:
        return _public(_participant_json(request, session))
    form = CheckInForm(request.POST if request.method == "POST" else None)
    done: tuple[checkin.Answer, str] | None = None
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                answer = checkin.self_check_in(
                    session=session,
                    item=form.item(request.POST.get("client_id", "")),
                    token=request.POST.get("pass", ""),
                )
            except BadInput as exc:
                form.add_error(_field_of(exc.code), exc.shown)
                status = exc.status
            else:
                status = 201 if answer.status == checkin.Answer.COUNTED else 200
                done = (answer, form.cleaned_data["name"])
                form = CheckInForm()  # the next person's, the focus at their name
                form.fields["name"].widget.attrs["autofocus"] = True
    return _public(
        render(
            request,
            "activities/checkin/participant.html",
            _participant(request, session, form, done),
            status=status,
        )
    )


def _no_session(request, code: str, wait: int, *, wants_json: bool) -> HttpResponse:
    """The answer to a code nobody holds (404), or to an address that guessed too many
    (429, ``wait`` seconds): the code's form again, or JSON for the pages' script."""
    if wait:
        minutes = math.ceil(wait / 60)
        text = "Đã nhập quá nhiều mã không đúng. Hãy thử lại sau %(n)s phút."
        message = ngettext(text, text, minutes) % {"n": minutes}
        status, error = 429, "too_many"
    else:
        message = _("Không có buổi nào đang điểm danh với mã này: hãy xem lại mã.")
        status, error = 404, "unknown_code"
    response: HttpResponse
    if wants_json:
        response = JsonResponse({"error": {"code": error, "message": message}}, status=status)
    else:
        context = {"typed": code, "error": message}
        response = render(request, "activities/checkin/enter.html", context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


@never_cache
@require_GET
def participant_units(request, code: str):
    """The units of the code's session matching ``?q=``, for a participant's form when
    the session reaches more units than the page carries: only that session's units,
    only while its code is open, and a code nobody holds is braked as on the page."""
    session, wait = checkin.session_for_code(code, client_ip(request))
    if session is None:
        return _public(_no_session(request, code, wait, wants_json=True))
    try:
        checkin.require_open(session)
    except BadInput as exc:
        return _public(JsonResponse(exc.to_screen_dict(), status=exc.status))
    return _public(_found(session, request))


FIELD_OF = {
    "missing_name": "name",
    "too_long": "name",
    "missing_unit": "unit",
    "unknown_unit": "unit",
    "unclear_unit": "unit",
    "out_of_scope": "unit",
    "invalid_audience": "audience",
    "not_managed": "unit",
}
"""The field a refused check-in's code is about: the message is shown there (on the page
served again, and by the pages' script, which keeps what was typed)."""


def _field_of(code: str) -> str | None:
    return FIELD_OF.get(code)


def _participant(request, session: Session, form: CheckInForm, done) -> dict:
    token = checkin.make_pass(session)
    code = checkin.grouped(session.check_in_code)
    places, units = _units(session, "id_unit", reverse("activities:check_in_units", args=[code]))
    return {
        "session": session,
        "event": session.event,
        "organiser_name": _organiser_name(session),
        "is_open": session.is_check_in_open(),
        "pass": token,
        "form": form,
        "done": done,
        "places": places,
        "script": {
            "mode": "participant",
            "key": f"trienkhai-checkin-{session.check_in_code}",
            "url": reverse("activities:check_in", args=[code]),
            "units": units,
            "pass": token,
            "session": session.pk,
            "fields": FIELD_OF,
            "text": {
                "sending": _("Đang gửi…"),
                "offline": _(
                    "Mất mạng: đã giữ lượt điểm danh trong máy này, sẽ tự gửi khi có mạng "
                    "(mở lại trang này nếu đã đóng)."
                ),
                "counted": _("Đã điểm danh: {name}."),
                "already": _("{name} đã được điểm danh ở buổi này từ trước."),
                "failed": _("Máy chủ chưa nhận (lỗi {status}): sẽ thử lại."),
            },
        },
    }


def _participant_json(request, session: Session) -> JsonResponse:
    try:
        body = _json_body(request)
        item = checkin.CheckIn.of(body)
        named = body.get("session") if isinstance(body, dict) else None
        answer = checkin.self_check_in(
            session=session,
            item=item,
            token=str(body.get("pass") or "") if isinstance(body, dict) else "",
            session_named=named if isinstance(named, int) and not isinstance(named, bool) else None,
        )
    except BadInput as exc:
        return JsonResponse(exc.to_screen_dict(), status=exc.status)
    status = 201 if answer.status == checkin.Answer.COUNTED else 200
    return JsonResponse(_answer(answer), status=status)
