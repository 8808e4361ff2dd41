"""The HTTP API under /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json).

Clients authenticate with ``Authorization: Bearer <token>`` (from ``POST /auth/token``)
or with the browser session. Every error is ``{"error": {"code", "message"}}`` with a
4xx status.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth
from ninja.types import DictStrAny

from trienkhai.accounts.api import router as accounts_router
from trienkhai.accounts.services import user_for_token
from trienkhai.activities.api import router as activities_router
from trienkhai.activities.certificates_api import router as certificates_router
from trienkhai.activities.checkin_api import router as checkin_router
from trienkhai.activities.inspections_api import router as inspections_router
from trienkhai.activities.sites_api import router as sites_router
from trienkhai.analytics.api import router as analytics_router
from trienkhai.commendations.api import router as commendations_router
from trienkhai.committees.api import router as committees_router
from trienkhai.common.errors import BadInput
from trienkhai.contests.api import router as contests_router
from trienkhai.desk.api import router as desk_router
from trienkhai.documents.api import router as documents_router
from trienkhai.documents.files_api import router as document_files_router
from trienkhai.documents.interchange_api import router as interchange_router
from trienkhai.documents.signing_api import router as signing_router
from trienkhai.drafting.api import router as drafting_router
from trienkhai.drafting.pdf import ConversionError
from trienkhai.notifications.api import router as notifications_router
from trienkhai.orgs.api import router as orgs_router
from trienkhai.reporting.api import router as reporting_router
from trienkhai.reporting.files_api import router as files_router
from trienkhai.reporting.outliers_api import router as outliers_router
from trienkhai.reporting.quality_api import router as quality_router


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def _refuse_nul(value: Any) -> Any:
    """``value`` as it is, or BadInput if any text in it holds a NUL character."""
    if isinstance(value, str):
        if "\x00" in value:
            raise BadInput(
                "invalid_character",
                "Ký tự NUL (\\u0000) không hợp lệ / a NUL character (\\u0000) is not allowed",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item)
    return value


class TextParser(Parser):
    """ninja's parser, refusing a NUL character in any text of a body or query string.

    No text trienkhai keeps may hold one, and PostgreSQL cannot even compare text with
    one: a NUL in a code or name looked up was a DataError, a 500 (found by
    tests/test_api_fuzz.py on PostgreSQL). Files are not texts: they are not looked at.
    """

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        return _refuse_nul(super().parse_body(request))

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        # Uploaded files are values of no kind looked at: only texts are refused.
        return _refuse_nul(super().parse_querydict(data, list_fields, request))


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "e.g. invalid_values, forbidden"},
                "message": {"type": "string", "description": "Vietnamese / English"},
                "details": {"description": "what was wrong, item by item, when known"},
            },
        }
    },
}
ERRORS = {
    400: "Dữ liệu không hợp lệ / invalid input",
    401: "Cần đăng nhập hoặc token / log in or send a token",
    403: "Không có quyền / forbidden",
    404: "Không tìm thấy / not found",
    409: "Xung đột với trạng thái hiện tại / conflicts with the current state",
    429: "Quá nhiều lần thử / too many attempts",
}


class DocumentedAPI(NinjaAPI):
    """The API whose OpenAPI schema also lists the errors each operation may answer.

    ninja documents only the answers a view declares; every operation may also answer
    400 (input), 401 (no or a wrong credential), 403 (policy) and 404 (a code or id not
    found), one that writes 409 (a locked report, an issued document, a race),
    the token endpoint, the certificate check and the check-in 429 (log-in protection, a
    brake on guessing codes), all as ``ERROR_SCHEMA``: clients and
    the fuzzing test (tests/test_api_fuzz.py) check error bodies against it.
    """

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                statuses = [400, 401, 403, 404]
                if method != "get":
                    statuses.append(409)
                if path.endswith(("/auth/token", "/activities/check-in")) or (
                    "/certificates/verify/" in path
                ):
                    statuses.append(429)
                responses = operation.setdefault("responses", {})
                for status in statuses:
                    responses.setdefault(status, {"description": ERRORS[status], "content": error})
        return schema


api = DocumentedAPI(
    parser=TextParser(),
    title="trienkhai API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


def _error(request, status: int, code: str, message: str, details=None):
    error = {"code": code, "message": message}
    if details:
        error["details"] = details
    return api.create_response(request, {"error": error}, status=status)


@api.exception_handler(BadInput)
def _bad_input(request, exc: BadInput):
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ConversionError)
def _no_pdf(request, exc: ConversionError):
    """503 ``converter_unavailable`` (no LibreOffice here) or ``conversion_failed``: the
    request was right, the PDF cannot be made now."""
    response = _error(request, exc.status, exc.code, exc.message)
    response["Retry-After"] = "60"
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    message = str(exc) or "Không có quyền / forbidden"
    return _error(request, 403, "forbidden", message)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", str(exc) or "Không tìm thấy / not found")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(
        request, 401, "unauthenticated", "Cần đăng nhập hoặc token / log in or send a token"
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    details = [
        {"where": ".".join(str(p) for p in e.get("loc", [])), "problem": e.get("msg", "")}
        for e in exc.errors
    ]
    summary = "; ".join(f"{d['where']}: {d['problem']}" for d in details)
    return _error(
        request, 400, "invalid_input", f"Dữ liệu không hợp lệ / invalid input: {summary}", details
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


api.add_router("/", accounts_router)
api.add_router("/", orgs_router)
api.add_router("/", reporting_router)
api.add_router("/", files_router)
api.add_router("/", outliers_router)
api.add_router("/", quality_router)
api.add_router("/", documents_router)
api.add_router("/", desk_router)
api.add_router("/", notifications_router)
api.add_router("/", document_files_router)
api.add_router("/", interchange_router)
api.add_router("/", signing_router)
api.add_router("/", analytics_router)
api.add_router("/", drafting_router)
api.add_router("/", activities_router)
api.add_router("/", inspections_router)
api.add_router("/", certificates_router)
api.add_router("/", checkin_router)
api.add_router("/", sites_router)
api.add_router("/", contests_router)
api.add_router("/", commendations_router)
api.add_router("/", committees_router)
