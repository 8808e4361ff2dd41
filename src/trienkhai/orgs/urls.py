from django.urls import path

from trienkhai.orgs import views

app_name = "orgs"
urlpatterns = [
    path("don-vi/", views.tree, name="tree"),
    path("nhap-don-vi/", views.import_units, name="import"),
    path("nhap-don-vi/mau.xlsx", views.import_template, name="import_template"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit"),
    path("don-vi/<str:code>/them-don-vi/", views.create_child, name="create"),
    path("don-vi/<str:code>/thay-doi/", views.change, name="change"),
    path("don-vi/<str:code>/giai-the/", views.dissolve, name="dissolve"),
]
