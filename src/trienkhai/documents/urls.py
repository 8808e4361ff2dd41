"""The document pages under /van-ban/ (Vietnamese paths, as users see them)."""

from django.urls import path

from trienkhai.documents import interchange_views, views

app_name = "documents"
book = "van-ban/so/<str:unit_code>/<str:book>/<int:year>/"
urlpatterns = [
    path("van-ban/", views.register_page, name="register"),
    path(book, views.book_page, name="book"),
    path(f"{book}xlsx/", views.book_xlsx, name="book_xlsx"),
    path("van-ban/<int:pk>/", views.document_page, name="document"),
    path("van-ban/<int:pk>/ban-hanh/", views.issue, name="issue"),
    path("van-ban/<int:pk>/sua/", views.edit_draft, name="edit"),
    path("van-ban/<int:pk>/dinh-kem/", views.attach, name="attach"),
    path("van-ban/<int:pk>/dinh-kem/<int:attachment_id>/", views.attachment, name="attachment"),
    path("van-ban/<int:pk>/dong-dau/", views.seal, name="seal"),
    path("van-ban/<int:pk>/ky-so/", views.sign_personally, name="sign"),
    path("van-ban/<int:pk>/ban-sao/", views.make_copy, name="copy"),
    path("van-ban/<int:pk>/giao/", views.assign, name="assign"),
    path("van-ban/<int:pk>/trien-khai/", views.directive_page, name="directive"),
    path("van-ban/<int:pk>/tra-loi/<str:unit_code>/", views.answer, name="answer"),
    path("van-ban/don-vi/<str:unit_code>/du-thao/", views.new_draft, name="new_draft"),
    path("van-ban/don-vi/<str:unit_code>/van-ban-den/", views.new_incoming, name="new_incoming"),
    path("van-ban/don-vi/<str:unit_code>/duoc-giao/", views.tasks_page, name="tasks"),
    path(
        "van-ban/don-vi/<str:unit_code>/nhap-edxml/",
        interchange_views.import_edxml,
        name="import_edxml",
    ),
]
