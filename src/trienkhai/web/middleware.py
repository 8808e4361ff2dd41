"""Web middleware: bad input as a readable page; Vietnamese unless the reader chose English."""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from trienkhai.common.errors import BadInput


class BadInputMiddleware:
    """Bad input in a web view becomes a readable 4xx page, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadInput) and not request.path.startswith("/api/"):
            context = {"status": exception.status, "message": exception.shown}
            return render(request, "web/error.html", context, status=exception.status)
        return None


class NulRefusalMiddleware:
    """A NUL character in the address (its path or query string) is a 400 at the door.

    No code, name or period trienkhai keeps may hold one, and PostgreSQL cannot even
    compare text with one: looked up, it was a DataError, a 500. The API's parser refuses
    it in bodies (``api.TextParser``); this refuses it before any view, web or API.
    """

    message = "Ký tự NUL (\\u0000) không hợp lệ / a NUL character (\\u0000) is not allowed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            error = BadInput("invalid_character", self.message)
            if request.path.startswith(("/api/", "/dhis2/")):
                return JsonResponse(error.to_dict(), status=400)
            context = {"status": 400, "message": error.shown}
            return render(request, "web/error.html", context, status=400)
        return self.get_response(request)


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not asked.

    Many Vietnamese offices run English-language Windows and browsers, whose
    Accept-Language would put the whole interface in English. trienkhai is Vietnamese
    first: English only when the reader chose it with the language switch (which sets
    the language cookie). To use it, put it in place of LocaleMiddleware in settings.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen or settings.LANGUAGE_CODE)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
