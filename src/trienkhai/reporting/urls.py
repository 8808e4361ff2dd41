"""The data-entry pages under /bao-cao/ (Vietnamese paths, as users see them)."""

from django.urls import path

from trienkhai.reporting import manage_views, outlier_views, review_views, views

app_name = "reporting"
report = "bao-cao/<str:form_code>/<str:unit_code>/<str:period_id>/"
manage = "bao-cao/quan-tri/"
urlpatterns = [
    path("bao-cao/", views.form_list, name="list"),
    # Before the report pages: "quan-tri" would otherwise read as a form code.
    path(manage, manage_views.index, name="manage"),
    path(f"{manage}dem-don-vi/", manage_views.count_units, name="count_units"),
    path(f"{manage}chi-tieu/", manage_views.indicators, name="indicators"),
    path(f"{manage}phan-to/", manage_views.disaggregations, name="disaggregations"),
    path(f"{manage}chi-tieu/<str:code>/", manage_views.indicator, name="indicator"),
    path(f"{manage}phan-to/<str:code>/", manage_views.disaggregation, name="disaggregation"),
    path(
        f"{manage}chi-tieu/<str:code>/xoa/",
        manage_views.delete,
        {"kind": "indicator"},
        name="delete_indicator",
    ),
    path(
        f"{manage}phan-to/<str:code>/xoa/",
        manage_views.delete,
        {"kind": "disaggregation"},
        name="delete_disaggregation",
    ),
    path(f"{manage}bieu/moi/", manage_views.create_form, name="create_form"),
    path(f"{manage}bieu/<str:form_code>/", manage_views.form_detail, name="form"),
    path(f"{manage}bieu/<str:form_code>/xem-truoc/", manage_views.preview, name="preview"),
    path(f"{manage}bieu/<str:form_code>/thong-tin/", manage_views.change_form, name="change_form"),
    path(f"{manage}bieu/<str:form_code>/thu-tu/", manage_views.reorder, name="reorder"),
    path(
        f"{manage}bieu/<str:form_code>/them-chi-tieu/",
        manage_views.add_indicator,
        name="add_indicator",
    ),
    path(
        f"{manage}bieu/<str:form_code>/bo-chi-tieu/",
        manage_views.remove_indicator,
        name="remove_indicator",
    ),
    path(f"{manage}bieu/<str:form_code>/quy-tac/", manage_views.add_rule, name="add_rule"),
    path(
        f"{manage}bieu/<str:form_code>/quy-tac/<int:rule_id>/",
        manage_views.change_rule,
        name="change_rule",
    ),
    path(f"{manage}bieu/<str:form_code>/phan/", manage_views.add_section, name="add_section"),
    path(
        f"{manage}bieu/<str:form_code>/phan/<int:section_id>/",
        manage_views.change_section,
        name="change_section",
    ),
    path(
        f"{manage}bieu/<str:form_code>/xep-chi-tieu/",
        manage_views.move_indicator,
        name="move_indicator",
    ),
    path(f"{manage}bieu/<str:form_code>/don-vi/", manage_views.change_units, name="change_units"),
    path(
        f"{manage}bieu/<str:form_code>/dieu-kien-gui/",
        manage_views.change_submission_rules,
        name="change_submission_rules",
    ),
    # Before the grid: "nhieu-don-vi" would otherwise read as a unit code.
    path("bao-cao/<str:form_code>/nhieu-don-vi/<str:period_id>/", views.multi, name="multi"),
    path(report, views.grid, name="grid"),
    path(f"{report}luu/", views.save, name="save"),
    path(f"{report}lich-su/", views.history, name="history"),
    path(f"{report}gui/", views.submit, name="submit"),
    path(f"{report}xem-xet/", review_views.page, name="review"),
    path(f"{report}duyet/", review_views.approve, name="approve"),
    path(f"{report}tra-lai/", review_views.return_submission, name="return"),
    path(f"{report}theo-doi/", review_views.follow_up, name="follow_up"),
    path(f"{report}mo-khoa/", views.unlock, name="unlock"),
    path(f"{report}kiem-tra/", outlier_views.check, name="check_value"),
    path(f"{report}giai-trinh/", outlier_views.explain, name="explain_outlier"),
]
