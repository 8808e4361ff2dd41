"""The data-entry pages under /bao-cao/ (Vietnamese paths, as users see them)."""

from django.urls import path

from trienkhai.reporting import views

app_name = "reporting"
report = "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/"
urlpatterns = [
    path("bao-cao/", views.form_list, name="list"),
    # Before the grid: "nhieu-don-vi" would otherwise read as a unit code.
    path("bao-cao/<str:form_code>/nhieu-don-vi/<str:period_id>/", views.multi, name="multi"),
    path(report, views.grid, name="grid"),
    path(f"{report}luu/", views.save, name="save"),
    path(f"{report}lich-su/", views.history, name="history"),
    path(f"{report}gui/", views.submit, name="submit"),
    path(f"{report}duyet/", views.approve, name="approve"),
    path(f"{report}tra-lai/", views.return_submission, name="return"),
    path(f"{report}mo-khoa/", views.unlock, name="unlock"),
]
