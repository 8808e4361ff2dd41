"""URLs of the file pages: a unit's form as .xlsx, and bulk values."""

from django.urls import path

from trienkhai.reporting import files

app_name = "reporting_files"
urlpatterns = [
    path("bao-cao/<str:form>/<str:unit>/<str:period>/excel/", files.download, name="download"),
    path("bao-cao/<str:form>/<str:unit>/<str:period>/excel/tai-len/", files.upload, name="upload"),
    # Not "bao-cao/<form>/<period>/du-lieu/": reporting.urls, included first, reads any
    # three segments after bao-cao/ as (form, unit, period) and would answer 404.
    path("du-lieu/<str:form>/<str:period>/", files.values, name="values"),
]
