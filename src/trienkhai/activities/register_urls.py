"""The registers' pages under /hoat-dong/ (register_views.py), in the "activities" namespace
(urls.py adds them): pledges (tu-duong), channels (kenh), inspections (kiem-tra)."""

from django.urls import path

from trienkhai.activities import register_views as views

channel = "hoat-dong/kenh/<int:pk>/"
inspection = "hoat-dong/kiem-tra/<int:pk>/"
urlpatterns = [
    path("hoat-dong/tu-duong/", views.pledge_page, name="pledges"),
    path("hoat-dong/tu-duong/nhap/", views.upload_pledges, name="pledge_upload"),
    path("hoat-dong/tu-duong/mau.xlsx", views.pledge_template, name="pledge_template"),
    path("hoat-dong/kenh/", views.channel_list, name="channels"),
    path("hoat-dong/kenh/moi/", views.create_channel, name="channel_create"),
    path(channel, views.channel_page, name="channel"),
    path(f"{channel}sua/", views.edit_channel, name="channel_edit"),
    path(f"{channel}xoa/", views.remove_channel, name="channel_remove"),
    path(f"{channel}so-tin-bai/", views.record_post_count, name="channel_count"),
    path(f"{channel}so-tin-bai/xoa/", views.remove_post_count, name="channel_count_remove"),
    path(f"{channel}nhap/", views.upload_post_counts, name="channel_upload"),
    path(f"{channel}mau.xlsx", views.post_count_template, name="channel_template"),
    path("hoat-dong/kiem-tra/", views.inspection_list, name="inspections"),
    path("hoat-dong/kiem-tra/ke-hoach/moi/", views.create_plan, name="plan_create"),
    path("hoat-dong/kiem-tra/ke-hoach/<int:pk>/sua/", views.edit_plan, name="plan_edit"),
    path("hoat-dong/kiem-tra/ke-hoach/<int:pk>/xoa/", views.remove_plan, name="plan_remove"),
    path("hoat-dong/kiem-tra/moi/", views.create_inspection, name="inspection_create"),
    path(inspection, views.inspection_page, name="inspection"),
    path(f"{inspection}sua/", views.edit_inspection, name="inspection_edit"),
    path(f"{inspection}ket-luan/", views.conclude_inspection, name="conclude"),
    path(f"{inspection}xoa/", views.remove_inspection, name="inspection_remove"),
    path("hoat-dong/kien-nghi/<int:pk>/", views.follow_up, name="follow_up"),
]
