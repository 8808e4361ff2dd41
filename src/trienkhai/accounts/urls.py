from django.urls import path

from trienkhai.accounts import login_views, views

app_name = "accounts"
urlpatterns = [
    path("don-vi/<str:code>/vai-tro/", views.roles, name="roles"),
    path("don-vi/<str:code>/vai-tro/<int:pk>/thu-hoi/", views.revoke, name="revoke"),
    # The second log-in step; TwoFactorMiddleware.OPEN_PATHS lets a half-logged-in
    # session reach /xac-thuc/ and nothing else.
    path("xac-thuc/ma/", login_views.verify, name="two_factor_verify"),
    path("xac-thuc/thiet-lap/", login_views.enrol, name="two_factor_enrol"),
    path("tai-khoan/", login_views.account, name="account"),
    path("tai-khoan/khoa-api/<int:pk>/thu-hoi/", login_views.revoke_token, name="revoke_token"),
    path("tai-khoan/ma-du-phong/", login_views.renew_recovery_codes, name="renew_recovery_codes"),
    path("tai-khoan/tat-xac-thuc/", login_views.turn_off, name="two_factor_off"),
]
