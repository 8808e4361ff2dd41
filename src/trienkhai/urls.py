from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from trienkhai.accounts.login_views import LoginView
from trienkhai.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("dhis2/api/", include("trienkhai.analytics.dhis2.urls")),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("trienkhai.web.urls")),
    path("", include("trienkhai.orgs.urls")),
    path("", include("trienkhai.reporting.urls")),
    path("", include("trienkhai.reporting.files_urls")),
    path("", include("trienkhai.reporting.completeness_urls")),
    path("", include("trienkhai.reporting.quality_urls")),
    path("", include("trienkhai.accounts.urls")),
    path("", include("trienkhai.documents.urls")),
    path("", include("trienkhai.activities.urls")),
    path("", include("trienkhai.commendations.urls")),
    path("", include("trienkhai.committees.urls")),
    path("", include("trienkhai.contests.urls")),
    path("", include("trienkhai.analytics.urls")),
    path("", include("trienkhai.drafting.urls")),
    path("", include("trienkhai.desk.urls")),
    path("", include("trienkhai.notifications.urls")),
]

# The admin bypasses the unit-scoped policy, so only superusers may use it.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser  # type: ignore[method-assign]
