"""The ``trienkhai`` command.

trienkhai demo [--port N] [--no-serve]   migrate, load the demo data, serve
trienkhai serve [--port N] [--host H] [--workers N]
                                         serve the application (N processes)
trienkhai manage COMMAND ...             any Django management command
trienkhai user add NAME --unit CODE --role ROLE --password-stdin [--email ADDRESS]
trienkhai token create USER [--name N] [--days D]   an API token for a script (printed once)
trienkhai backup PATH / trienkhai restore PATH   the database and the files (docs/OPERATIONS.md)
trienkhai import-divisions               the official divisions, before and after 2025
trienkhai report TEMPLATE --unit CODE --period P -o out.docx|out.pdf   a report (draft); --list
trienkhai import-units FILE.csv|.xlsx    units from a spreadsheet, all or nothing
trienkhai rebuild-totals [--all]         fold reorganisations into the totals (--all: every total)
trienkhai remind [--date dd/mm/yyyy]     deadline reminders for the day, then send the
                                         e-mails waiting and the digests (daily); with
                                         --send-only only the e-mails due (every few minutes)
trienkhai erase-expired-people [--dry-run]   participants' names past the retention period
                                         (TRIENKHAI_PEOPLE_RETENTION_YEARS) erased (daily), then
                                         commended individuals' (…_COMMENDATION_RETENTION_YEARS)
                                         and committee members' (…_COMMITTEE_RETENTION_YEARS)
"""

import argparse
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _serve(host: str, port: int, workers: int = 1) -> None:
    """Serve with waitress (one process, threads: any OS), or with ``workers`` gunicorn
    processes on Unix, so that requests use every core rather than one GIL
    (docs/decisions/0009-server-processes.md)."""
    from trienkhai.analytics import rebuild
    from trienkhai.wsgi import application

    # Reorganisations are folded into the totals by a thread, outside the requests.
    rebuild.BACKGROUND = True
    _load_views()
    print(f"trienkhai: http://{host}:{port}/  (Ctrl+C để dừng / to stop)", flush=True)
    if workers > 1 and os.name == "posix":
        _gunicorn(application, host, port, workers)
        return
    from waitress import serve

    serve(application, host=host, port=port, threads=8, ident="trienkhai")


def _load_views() -> None:
    """Import every view, API schema and what they import now, once: Django does it on
    a process's first request, which took each gunicorn worker one to several seconds of
    CPU (pydantic building the API's schemas, compiling modules when no bytecode is
    cached); done before the fork, the workers share it and answer at once."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the property imports the URLconf)


def _gunicorn(application, host: str, port: int, workers: int) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from trienkhai.common import turns

    connections.close_all()  # the workers are forked: each opens its own connection

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            # Threads let a worker keep many idle keep-alive connections and a request
            # that waits (a PDF, an e-mail) not hold the process; the parallel work is
            # the processes': a process runs one request's Python at a time (turns).
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("keepalive", 5)
            self.cfg.set("accesslog", None)

        def load(self):
            return turns.one_at_a_time(application)

    Server().run()


def _default_workers() -> int:
    """Two processes per core on Unix (a request waits on the database about half its
    time); one (waitress) elsewhere."""
    return 2 * (os.cpu_count() or 1) if os.name == "posix" else 1


def cmd_demo(args) -> int:
    # The demo runs on the development key unless one is set (never for production).
    os.environ.setdefault("TRIENKHAI_INSECURE_DEV_KEY", "1")
    # A first look needs no phone: admins' two-factor is off for the demo unless asked
    # for (docs/decisions/0019-log-in-protection.md). Said in the banner below.
    os.environ.setdefault("TRIENKHAI_ADMIN_2FA", "0")
    _setup()
    _migrate()
    from django.conf import settings

    from trienkhai.demo import load_demo

    logins = load_demo(progress=lambda msg: print(msg, flush=True))
    print("\nTài khoản demo / demo log-ins:")
    for username, password, role, unit in logins:
        print(f"  {username:12} {password:14} {role:9} {unit}")
    if not settings.ADMIN_2FA:
        print(
            "\nXác thực hai bước cho quản trị viên đang TẮT trong bản demo"
            " (TRIENKHAI_ADMIN_2FA=0); bật lại: TRIENKHAI_ADMIN_2FA=1."
            "\nAdmins' two-factor is OFF in the demo (TRIENKHAI_ADMIN_2FA=0);"
            " turn it on with TRIENKHAI_ADMIN_2FA=1."
        )
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        print(
            f"\nE-mail thông báo được ghi thành tệp trong {settings.EMAIL_FILE_PATH}"
            " (gửi thật: TRIENKHAI_EMAIL_URL=smtp://máy:cổng)."
            f"\nNotification e-mails are written as files to {settings.EMAIL_FILE_PATH}"
            " (to send them: TRIENKHAI_EMAIL_URL=smtp://host:port)."
        )
    from trienkhai.drafting import pdf

    if not pdf.is_available():
        print(
            "\nChưa có LibreOffice: các tệp PDF sẽ báo lỗi 503 (converter_unavailable);"
            " cài bằng `make system-deps` hoặc scripts/system-deps.sh demo."
            "\nLibreOffice is missing: every PDF answers 503 (converter_unavailable);"
            " install it with `make system-deps` or scripts/system-deps.sh demo."
        )
    if args.no_serve:
        return 0
    _serve(args.host, args.port)
    return 0


def cmd_serve(args) -> int:
    _setup()
    from django.core.exceptions import ImproperlyConfigured

    from trienkhai.web.checks import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as refusal:
        print(refusal, file=sys.stderr)
        return 2
    _migrate()
    _serve(args.host, args.port, args.workers or _default_workers())
    return 0


def cmd_manage(args) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["trienkhai manage", *args.rest])
    return 0


def cmd_user_add(args) -> int:
    _setup()
    _migrate()
    from trienkhai.accounts import services
    from trienkhai.common import actors
    from trienkhai.common.errors import BadInput
    from trienkhai.orgs.models import Unit

    if not args.password_stdin:
        print("Cần --password-stdin / pass the password on standard input", file=sys.stderr)
        return 2
    password = sys.stdin.readline().rstrip("\n")
    unit = Unit.objects.filter(code=args.unit).first()
    if unit is None:
        print(f"Không có đơn vị / no such unit: {args.unit}", file=sys.stderr)
        return 2
    try:
        user = services.add_user(
            acting_user=actors.CLI,
            username=args.name,
            password=password,
            unit=unit,
            role=args.role,
            email=args.email or "",
        )
    except BadInput as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(f"Đã tạo / created: {user.username} {args.role}@{unit.code}")
    return 0


def cmd_token_create(args) -> int:
    """An API token for a script: printed once, on standard output alone."""
    _setup()
    _migrate()
    from trienkhai.accounts import services
    from trienkhai.accounts.models import User
    from trienkhai.common.errors import BadInput

    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None:
        print(f"Không có người dùng / no such active user: {args.user}", file=sys.stderr)
        return 2
    try:
        raw = services.issue_token(user=user, name=args.name, days=args.days)
    except BadInput as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(raw)
    return 0


def cmd_backup(args) -> int:
    _setup()
    from trienkhai.common import backup

    try:
        manifest = backup.backup(args.path)
    except backup.BadInput as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(
        f"Đã sao lưu / backed up: {args.path} ({manifest['engine']}, "
        f"{len(manifest['files'])} tệp / files)"
    )
    return 0


def cmd_restore(args) -> int:
    _setup()
    from django.conf import settings

    from trienkhai.common import backup

    if sys.stdin.isatty() and not args.yes:
        where = settings.DATABASES["default"]["NAME"]
        answer = input(
            f"Thay toàn bộ dữ liệu của {where} bằng {args.path}? / replace all data? [y/N] "
        )
        if answer.strip().lower() not in {"y", "yes", "c", "có", "co"}:
            print("Đã hủy / cancelled", file=sys.stderr)
            return 1
    try:
        manifest = backup.restore(args.path)
    except backup.BadInput as exc:
        print(exc.message, file=sys.stderr)
        return 2
    _migrate()  # a backup from an older version gets today's migrations
    print(
        f"Đã khôi phục / restored: {args.path} (sao lưu lúc / made {manifest['created']}); "
        "khởi động lại máy chủ / restart the server"
    )
    return 0


def cmd_import_divisions(args) -> int:
    _setup()
    _migrate()
    from trienkhai.common import actors
    from trienkhai.common.errors import BadInput
    from trienkhai.orgs.divisions import import_divisions

    try:
        import_divisions(
            acting_user=actors.CLI,
            provinces=args.province or None,
            progress=lambda m: print(m, flush=True),
        )
    except BadInput as exc:
        print(exc.message, file=sys.stderr)
        return 2
    return 0


def cmd_import_units(args) -> int:
    _setup()
    _migrate()
    from trienkhai.common import actors
    from trienkhai.common.errors import BadInput
    from trienkhai.orgs.imports import import_units_file

    try:
        with open(args.file, "rb") as handle:
            created = import_units_file(acting_user=actors.CLI, name=args.file, data=handle.read())
    except BadInput as exc:
        print(exc.message, file=sys.stderr)
        for detail in exc.details:
            print(f"  dòng/row {detail['row']}: {detail['problem']}", file=sys.stderr)
        return 2
    print(f"Đã nhập / imported {len(created)} đơn vị / units")
    return 0


def cmd_rebuild_totals(args) -> int:
    _setup()
    import time

    from trienkhai.analytics import rebuild

    start = time.perf_counter()
    periods = rebuild.rebuild_all() if args.all else rebuild.refresh()
    took = time.perf_counter() - start
    print(f"Đã tính lại / recomputed: {len(periods)} kỳ / periods, {took:.1f} s")
    return 0


def cmd_remind(args) -> int:
    """The daily run (cron or a systemd timer): reminders for the day, then the outbox."""
    _setup()
    _migrate()
    from trienkhai.notifications import outbox, reminders
    from trienkhai.vn.dates import parse_date

    if args.send_only:
        sent = outbox.flush()
        print(
            f"E-mail: {sent.sent} đã gửi / sent, {sent.failed} lỗi / failed, {sent.held} chờ / held"
        )
        return 0
    day = None
    if args.date:
        try:
            day = parse_date(args.date)
        except ValueError:
            print(f"Ngày không hợp lệ (dd/mm/yyyy) / invalid date: {args.date}", file=sys.stderr)
            return 2
    made = reminders.remind(day)
    sent = outbox.flush(digests=True)
    print(
        f"Nhắc việc / reminders: {made.created} thông báo mới / new notifications "
        f"({made.day.strftime('%d/%m/%Y')}); e-mail: {sent.sent} đã gửi / sent, "
        f"{sent.failed} lỗi / failed, {sent.held} chờ / held"
    )
    return 0


def cmd_erase_expired_people(args) -> int:
    """The daily run's second part: participants past the retention period lose their
    names (decision 0040); the figures stay."""
    _setup()
    _migrate()
    from django.conf import settings
    from django.utils import timezone

    from trienkhai.activities import people
    from trienkhai.common.actors import CLI

    today = timezone.localdate()
    years = settings.PEOPLE_RETENTION_YEARS
    if args.dry_run:
        print(
            f"Sẽ xóa / would erase: {len(people.expired(today))} người / people ({years} năm / years)"
        )
        from trienkhai.commendations import services as commendations

        print(
            f"Sẽ xóa / would erase: {len(commendations.expired(today))} cá nhân được khen / "
            f"commended people ({settings.COMMENDATION_RETENTION_YEARS} năm / years)"
        )
        from trienkhai.committees import services as committees

        print(
            f"Sẽ xóa / would erase: {len(committees.expired(today))} thành viên ban chỉ đạo / "
            f"committee people ({settings.COMMITTEE_RETENTION_YEARS} năm / years)"
        )
        return 0
    erased = people.erase_expired(acting_user=CLI, today=today)
    print(f"Đã xóa / erased: {erased} người / people ({years} năm / years)")
    # The commendation register's individuals, by their own period (decision 0057).
    from trienkhai.commendations import services as commendations

    kept = settings.COMMENDATION_RETENTION_YEARS
    erased = commendations.erase_expired(acting_user=CLI, today=today)
    print(f"Đã xóa / erased: {erased} cá nhân được khen / commended people ({kept} năm / years)")
    # Steering committees' members and guests, by their own period (decision 0065).
    from trienkhai.committees import services as committees

    kept = settings.COMMITTEE_RETENTION_YEARS
    erased = committees.erase_expired(acting_user=CLI, today=today)
    print(
        f"Đã xóa / erased: {erased} thành viên ban chỉ đạo / committee people ({kept} năm / years)"
    )
    return 0


def cmd_sweep_blobs(args) -> int:
    """Remove the stored files no row references any more (a crash between an erasure's
    commit and its removal, an upload whose record failed): daily, after the erasures."""
    _setup()
    _migrate()
    from trienkhai.documents import blobs
    from trienkhai.vn.numbers import format_number

    done = blobs.sweep(dry_run=args.dry_run)
    for path in done.paths:
        print(path)
    verb = "Sẽ xóa / would remove" if args.dry_run else "Đã xóa / removed"
    print(f"{verb}: {len(done.paths)} tệp / files, {format_number(done.size)} byte")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trienkhai", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="migrate, load the demo data and serve")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--no-serve", action="store_true")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="serve the application")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument(
        "--workers",
        type=int,
        default=0,
        help="processes (default: 2 per core on Unix; 1 = waitress, one process)",
    )
    serve.set_defaults(func=cmd_serve)

    manage = sub.add_parser("manage", help="a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    user = sub.add_parser("user", help="user accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="add a user with a role at a unit")
    add.add_argument("name")
    add.add_argument("--unit", required=True)
    add.add_argument("--role", required=True, choices=["admin", "manager", "reporter", "viewer"])
    add.add_argument("--password-stdin", action="store_true")
    add.add_argument("--email", help="where the user's notifications are sent")
    add.set_defaults(func=cmd_user_add)

    save = sub.add_parser("backup", help="back up the database and the files to PATH (.tar)")
    save.add_argument("path")
    save.set_defaults(func=cmd_backup)
    load = sub.add_parser("restore", help="replace the database and the files with a backup")
    load.add_argument("path")
    load.add_argument("--yes", action="store_true", help="do not ask (asked only on a terminal)")
    load.set_defaults(func=cmd_restore)

    token = sub.add_parser("token", help="API tokens for scripts")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="print a new API token for USER")
    create.add_argument("user")
    create.add_argument("--name", default="script")
    create.add_argument("--days", type=int, default=365, help="how long it works (default 365)")
    create.set_defaults(func=cmd_token_create)

    divisions = sub.add_parser("import-divisions", help="official divisions before/after 2025")
    divisions.add_argument("--province", action="append", help="official pre-2025 province code")
    divisions.set_defaults(func=cmd_import_divisions)

    units = sub.add_parser("import-units", help="import units from CSV/XLSX (all or nothing)")
    units.add_argument("file")
    units.set_defaults(func=cmd_import_units)

    totals = sub.add_parser(
        "rebuild-totals", help="fold reorganisations into the analytics totals (--all: all)"
    )
    totals.add_argument("--all", action="store_true", help="recompute every total")
    totals.set_defaults(func=cmd_rebuild_totals)

    remind = sub.add_parser("remind", help="deadline reminders for a day, then send e-mails")
    remind.add_argument("--date", help="act as if it were this day (dd/mm/yyyy; default today)")
    remind.add_argument(
        "--send-only",
        action="store_true",
        help="only send the e-mails due (retries, held ones): every few minutes",
    )
    remind.set_defaults(func=cmd_remind)
    erase = sub.add_parser(
        "erase-expired-people",
        help="erase participants' names past TRIENKHAI_PEOPLE_RETENTION_YEARS (figures stay)",
    )
    erase.add_argument("--dry-run", action="store_true", help="only say how many")
    erase.set_defaults(func=cmd_erase_expired_people)
    swept = sub.add_parser(
        "sweep-blobs", help="remove stored files no document, dossier or entry references"
    )
    swept.add_argument("--dry-run", action="store_true", help="only list them")
    swept.set_defaults(func=cmd_sweep_blobs)

    from trienkhai.drafting.command import add_parser as add_report_parser

    add_report_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
