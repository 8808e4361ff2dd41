"""The steering committees' pages (views.py), in the "committees" namespace."""

from django.urls import path

from trienkhai.committees import views

app_name = "committees"
urlpatterns = [
    path("ban-chi-dao/", views.committee_list, name="list"),
    path("ban-chi-dao/moi/", views.create_committee, name="create"),
    path("ban-chi-dao/<int:pk>/", views.committee_page, name="committee"),
    path("ban-chi-dao/<int:pk>/ket-thuc/", views.end_committee, name="end"),
    path("ban-chi-dao/<int:pk>/thanh-vien/moi/", views.add_member, name="add_member"),
    path(
        "ban-chi-dao/<int:pk>/thanh-vien/<int:seat>/thay-doi/",
        views.change_seat,
        name="change_seat",
    ),
    path("ban-chi-dao/<int:pk>/thanh-vien/<int:seat>/thoi/", views.end_seat, name="end_seat"),
    path("ban-chi-dao/<int:pk>/nguoi/<int:person>/xoa/", views.erase_person, name="erase"),
    path("ban-chi-dao/<int:pk>/hop/moi/", views.hold_meeting, name="hold_meeting"),
    path(
        "ban-chi-dao/<int:pk>/hop/<int:meeting>/bien-ban/",
        views.set_minutes,
        name="set_minutes",
    ),
    path("ban-chi-dao/<int:pk>/hop/<int:meeting>/ket-luan/", views.conclude, name="conclude"),
]
