"""URL patterns of the data-quality page (chất lượng số liệu)."""

from django.urls import path

from trienkhai.reporting import quality_views

app_name = "quality"
urlpatterns = [
    path("chat-luong/", quality_views.page, name="page"),
    path("chat-luong/chat-luong.xlsx", quality_views.export, name="export"),
    path("chat-luong/ghi-chu/", quality_views.note, name="note"),
]
