"""One demo user per role. The passwords are for the demo only and printed by `trienkhai demo`."""

from trienkhai.accounts import services
from trienkhai.accounts.models import RoleAssignment, User
from trienkhai.common.actors import DEMO
from trienkhai.orgs import queries
from trienkhai.orgs.models import Unit

PASSWORD = "trienkhai-demo"
MAIL_DOMAIN = "demo.trienkhai.vn"
"""Demo users' addresses: the demo writes their e-mails as files (decision 0038)."""

USERS = [
    # username, full name, role, unit. A name is the person's own: the unit is the
    # role's and may have ended (2025), and the header shows the name.
    ("admin", "Quản trị hệ thống", "admin", "VN"),
    ("quanly", "Nguyễn Văn Quản", "manager", "HU-VT"),
    ("baocao", "Trần Thị Báo", "reporter", "DU-VT-31060"),
    ("xem", "Lê Văn Xem", "viewer", "TU-KG"),
    ("quanlymoi", "Phạm Thị Mới", "manager", "TU-AG"),
    # Whom the completeness pages name among the units to remind (demo/reporting.py).
    ("bc.tanthuan", "Võ Thị Thuận", "reporter", "DU-VT-31072"),
    ("bc.bhxh", "Đặng Văn Hiểm", "reporter", "CB-VT-30"),
    ("ql.chodon", "Hoàng Văn Đồn", "manager", "HU-CD"),
    ("bc.yenphong", "Ma Văn Phong", "reporter", "DU-CD-02083"),
]


def load() -> list[tuple[str, ...]]:
    logins: list[tuple[str, ...]] = []
    for username, full_name, role, unit_code in USERS:
        unit = Unit.objects.get(code=unit_code)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.add_user(
                acting_user=DEMO,
                username=username,
                password=PASSWORD,
                full_name=full_name,
                email=f"{username}@{MAIL_DOMAIN}",
            )
        if not RoleAssignment.objects.filter(user=user, unit=unit, role=role).exists():
            services.grant_role(acting_user=DEMO, user=user, unit=unit, role=role)
        logins.append((username, PASSWORD, role, f"{unit_code} ({unit.latest_version().name})"))
    return logins


def manager_of(unit: Unit):
    """The demo user who manages ``unit`` or the nearest unit above it (on the unit's
    last day if it has ended), to return and mark reports as a person would: the pages
    then say who did. The demo's own actor if none does."""
    up = sorted(queries.ancestor_ids(unit.pk, unit.reference_date()), key=lambda row: row[1])
    chain = [uid for uid, _depth in up]
    managers = {
        a.unit_id: a.user
        for a in RoleAssignment.objects.filter(unit_id__in=chain, role="manager").select_related(
            "user"
        )
    }
    return next((managers[uid] for uid in chain if uid in managers), DEMO)
