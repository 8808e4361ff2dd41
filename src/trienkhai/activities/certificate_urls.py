"""The certificate pages (activities namespace): an event's certificates, one
certificate, and the public verification page /xac-minh/ (decision 0044)."""

from django.urls import path

from trienkhai.activities import certificate_views as views

event = "hoat-dong/<int:pk>/giay-chung-nhan/"
one = "hoat-dong/giay-chung-nhan/<int:pk>/"
urlpatterns = [
    path(event, views.certificate_list, name="certificates"),
    path(f"{event}cap/", views.issue_certificates, name="issue_certificates"),
    path(f"{event}dieu-kien/", views.certificate_rule, name="certificate_rule"),
    path(f"{event}phan-<int:part>.pdf", views.certificates_pdf, name="certificates_pdf"),
    path(one, views.certificate_page, name="certificate"),
    path(f"{one}tep.pdf", views.certificate_file, name="certificate_pdf"),
    path(f"{one}thu-hoi/", views.revoke_certificate, name="revoke"),
    path("xac-minh/", views.verify_form, name="verify_form"),
    path("xac-minh/<str:code>/", views.verify, name="verify"),
]
