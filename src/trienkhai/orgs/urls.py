from django.urls import path

from trienkhai.orgs import views

app_name = "orgs"
urlpatterns = [
    path("don-vi/", views.tree, name="tree"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit"),
]
