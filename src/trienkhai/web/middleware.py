"""Bad input in a web view becomes a readable 4xx page, never a 500."""

from django.shortcuts import render

from trienkhai.common.errors import BadInput


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadInput) and not request.path.startswith("/api/"):
            context = {"status": exception.status, "message": exception.message}
            return render(request, "web/error.html", context, status=exception.status)
        return None
