from django.urls import path

from trienkhai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("don-vi/<str:code>/vai-tro/", views.roles, name="roles"),
    path("don-vi/<str:code>/vai-tro/<int:pk>/thu-hoi/", views.revoke, name="revoke"),
]
