"""The steering committees' pages (views.py), in the "committees" namespace."""

from django.urls import path

from trienkhai.committees import views

app_name = "committees"
urlpatterns = [
    path("ban-chi-dao/", views.committee_list, name="list"),
    path("ban-chi-dao/<int:pk>/", views.committee_page, name="committee"),
]
