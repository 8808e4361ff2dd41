"""The commendation pages under /khen-thuong/ (Vietnamese paths, as users see them)."""

from django.urls import path

from trienkhai.commendations import views

app_name = "commendations"
nomination = "khen-thuong/de-nghi/<int:pk>/"
urlpatterns = [
    path("khen-thuong/", views.nominations_page, name="nominations"),
    path("khen-thuong/de-nghi/moi/", views.create_nomination, name="create"),
    path(nomination, views.nomination_page, name="nomination"),
    path(f"{nomination}dong-y/", views.accept, name="accept"),
    path(f"{nomination}tra-lai/", views.return_for_correction, name="return"),
    path(f"{nomination}khong-dong-y/", views.refuse, name="refuse"),
    path(f"{nomination}trinh-lai/", views.resubmit, name="resubmit"),
    path(f"{nomination}ho-so/", views.add_file, name="add_file"),
    path("khen-thuong/ho-so/<int:pk>/", views.dossier_file, name="file"),
    path("khen-thuong/xet-duyet/", views.review_page, name="review"),
    path("khen-thuong/quyet-dinh/", views.issue_decision, name="decision"),
    path("khen-thuong/so/", views.register_page, name="register"),
    path("khen-thuong/tap-the/<str:code>/", views.collective_page, name="collective"),
    path("khen-thuong/ca-nhan/<int:pk>/", views.person_page, name="person"),
    path("khen-thuong/ca-nhan/<int:pk>/xoa/", views.erase_person, name="erase"),
]
