from django.urls import path

from trienkhai.analytics import views

app_name = "analytics"
urlpatterns = [
    path("phan-tich/", views.pivot_page, name="pivot"),
    path("phan-tich/bang.xlsx", views.pivot_download, {"fmt": "xlsx"}, name="xlsx"),
    path("phan-tich/bang.csv", views.pivot_download, {"fmt": "csv"}, name="csv"),
    path("phan-tich/so-sanh/", views.compare_page, name="compare"),
    path("phan-tich/bieu-do/", views.chart_page, name="chart"),
    path("phan-tich/ban-do/", views.map_page, name="map"),
]
