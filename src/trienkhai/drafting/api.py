"""/api/v1/reports: formal documents generated from templates and live figures."""

from ninja import Router

router = Router(tags=["reports"])
