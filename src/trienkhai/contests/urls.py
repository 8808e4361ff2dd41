"""The contest pages under /cuoc-thi/ (Vietnamese paths, as users see them)."""

from django.urls import path

from trienkhai.contests import advance_views, views
from trienkhai.contests import organiser_views as organiser

app_name = "contests"
contest = "cuoc-thi/<int:pk>/"
round = f"{contest}vong/<int:number>/"
urlpatterns = [
    path("cuoc-thi/", views.contest_list, name="list"),
    path("cuoc-thi/moi/", organiser.create_contest, name="create"),
    path(contest, views.contest_page, name="contest"),
    path(f"{contest}the-loai/", organiser.categories, name="categories"),
    path(f"{contest}giam-khao/", organiser.judges, name="judges"),
    path(f"{contest}xung-dot/", organiser.record_conflict, name="conflict"),
    path(f"{contest}bai-du-thi/", organiser.entries, name="entries"),
    path(f"{contest}bai-du-thi/<int:entry_id>/", organiser.entry_page, name="entry"),
    path(f"{contest}bai-du-thi/<int:entry_id>/loai/", organiser.disqualify, name="disqualify"),
    path(f"{contest}cham/", views.judging, name="judging"),
    path(round, views.round_page, name="round"),
    path(f"{round}phan-cong/", views.assign, name="assign"),
    path(f"{round}ket-thuc/", views.close, name="close"),
    path(f"{round}co-cau-giai/", views.set_prizes, name="prizes"),
    path(f"{round}xet-giai/", views.draw, name="draw"),
    path(f"{round}chon-vao-vong-sau/", advance_views.advance, name="advance"),
    path(f"{round}bai/<int:entry_id>/", views.score_entry, name="score"),
    path(f"{round}quyet-dinh/", organiser.decision, name="decision"),
    path(f"{round}giay-chung-nhan/", organiser.issue_certificates, name="certificates"),
    path(
        f"{contest}giay-chung-nhan/<int:certificate_id>/thu-hoi/",
        organiser.revoke_certificate,
        name="revoke_certificate",
    ),
]
