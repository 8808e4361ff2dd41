"""WSGI entry point for `trienkhai serve` and any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")
application = get_wsgi_application()

from trienkhai.web.checks import require_secret_key  # noqa: E402  (needs the settings)

require_secret_key()
