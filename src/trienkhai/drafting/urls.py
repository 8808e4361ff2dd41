from django.urls import path

from trienkhai.drafting import views

app_name = "drafting"
urlpatterns = [
    path("soan-bao-cao/", views.report_list, name="list"),
    path("soan-bao-cao/tao/", views.report_create, name="create"),
    path("soan-bao-cao/<int:pk>/", views.report_edit, name="edit"),
    path("soan-bao-cao/<int:pk>/xem-truoc/", views.report_preview, name="preview"),
    path("soan-bao-cao/<int:pk>/tep.<str:fmt>", views.report_file, name="file"),
    path("soan-bao-cao/<int:pk>/ban-hanh/", views.report_issue, name="issue"),
    path("soan-bao-cao/<int:pk>/xoa/", views.report_delete, name="delete"),
]
