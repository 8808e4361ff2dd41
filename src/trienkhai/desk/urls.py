from django.urls import path

from trienkhai.desk import views

app_name = "desk"
urlpatterns = [path("viec-cua-toi/", views.desk, name="desk")]
