"""URL patterns of the completeness and timeliness page."""

from django.urls import path

from trienkhai.reporting import completeness

app_name = "completeness"
urlpatterns = [
    path("bao-cao/<str:form>/<str:unit>/<str:period>/tien-do/", completeness.page, name="page"),
    path(
        "bao-cao/<str:form>/<str:unit>/<str:period>/tien-do/nhac-nho.csv",
        completeness.remind_csv,
        name="remind_csv",
    ),
]
