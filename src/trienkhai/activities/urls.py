"""The activity pages under /hoat-dong/ (Vietnamese paths, as users see them)."""

from django.urls import path

from trienkhai.activities import certificate_urls, checkin_urls, register_urls, site_views, views

app_name = "activities"
person = "hoat-dong/nguoi/<int:pk>/"
urlpatterns = [
    path("hoat-dong/", views.event_list, name="list"),
    path("hoat-dong/moi/", views.create_event, name="create"),
    path("hoat-dong/<int:pk>/", views.event_page, name="event"),
    path("hoat-dong/<int:pk>/diem-danh/", views.upload_attendance, name="upload"),
    path("hoat-dong/<int:pk>/mau-diem-danh.xlsx", views.attendance_template, name="template"),
    path("hoat-dong/<int:pk>/diem-cau/", site_views.add_site, name="site_add"),
    path("hoat-dong/diem-cau/<int:pk>/", site_views.site_page, name="site"),
    path("hoat-dong/diem-cau/<int:pk>/xoa/", site_views.remove_site, name="site_remove"),
    path("hoat-dong/nguoi/", views.people_page, name="people"),
    path(person, views.person_page, name="person"),
    path(f"{person}du-lieu.json", views.person_json, name="person_json"),
    path(f"{person}du-lieu.xlsx", views.person_xlsx, name="person_xlsx"),
    path(f"{person}xoa/", views.erase_person, name="erase"),
    *register_urls.urlpatterns,  # pledges, channels, inspections
    *certificate_urls.urlpatterns,  # certificates and /xac-minh/ (decision 0044)
    *checkin_urls.urlpatterns,  # check-in from a phone, /diem-danh/ (decision 0045)
]
