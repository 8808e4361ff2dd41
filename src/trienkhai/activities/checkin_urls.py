"""The check-in pages (activities namespace, decision 0045): a session's page for the
organiser's secretary, and the public pages a participant's phone opens."""

from django.urls import path

from trienkhai.activities import checkin_views as views

session = "hoat-dong/buoi/<int:pk>/diem-danh/"
urlpatterns = [
    path(session, views.secretary, name="check_in_session"),
    path(f"{session}ma/", views.code, name="check_in_code"),
    path(f"{session}gui/", views.sync, name="check_in_sync"),
    path(f"{session}bo/", views.undo, name="check_in_undo"),
    path(f"{session}co-mat/", views.mark, name="check_in_mark"),
    path(f"{session}don-vi/", views.secretary_units, name="check_in_session_units"),
    path("diem-danh/", views.enter_code, name="check_in_form"),
    path("diem-danh/<str:code>/", views.participant, name="check_in"),
    path("diem-danh/<str:code>/don-vi/", views.participant_units, name="check_in_units"),
]
