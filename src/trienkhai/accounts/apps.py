from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trienkhai.accounts"
    label = "accounts"
    verbose_name = "Tài khoản / Accounts"

    def ready(self) -> None:
        # The apps below accounts (orgs) ask common.actors, which answers no until the
        # policy is installed here.
        from trienkhai.accounts import policy
        from trienkhai.common import actors

        actors.install_checker(policy.can)
