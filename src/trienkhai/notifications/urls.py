from django.urls import path

from trienkhai.notifications import views

app_name = "notifications"
urlpatterns = [
    path("thong-bao/", views.inbox, name="inbox"),
    path("thong-bao/<int:pk>/da-doc/", views.read, name="read"),
    path("thong-bao/da-doc-het/", views.read_all, name="read_all"),
    path("thong-bao/cai-dat/", views.choices, name="choices"),
    path("thong-bao/huy-nhan/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
