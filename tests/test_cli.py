"""The `trienkhai` command: user add (the demo command is tested in tests/demo)."""

import io

import pytest

from trienkhai import cli
from trienkhai.accounts.models import RoleAssignment, User


def run(argv, stdin="", monkeypatch=None):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_it_adds_a_user_with_a_role_from_stdin(org, monkeypatch, capsys):
    code = run(
        ["user", "add", "lan", "--unit", "D1", "--role", "reporter", "--password-stdin"],
        "mot-mat-khau-dai\n",
        monkeypatch,
    )
    assert code == 0
    user = User.objects.get(username="lan")
    assert user.check_password("mot-mat-khau-dai")
    assert list(RoleAssignment.objects.filter(user=user).values_list("unit__code", "role")) == [
        ("D1", "reporter")
    ]
    assert "lan reporter@D1" in capsys.readouterr().out


def test_it_gives_a_new_user_an_email_address_for_notifications(org, monkeypatch):
    argv = ["user", "add", "lan", "--unit", "D1", "--role", "reporter", "--password-stdin"]
    assert run([*argv, "--email", "lan@example.vn"], "mot-mat-khau-dai\n", monkeypatch) == 0
    assert User.objects.get(username="lan").email == "lan@example.vn"


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (
            ["user", "add", "lan", "--unit", "NOPE", "--role", "viewer", "--password-stdin"],
            "mot-mat-khau-dai\n",
            "no such unit",
        ),
        (
            ["user", "add", "lan", "--unit", "D1", "--role", "viewer", "--password-stdin"],
            "ngan\n",
            "8 characters",
        ),
        (["user", "add", "lan", "--unit", "D1", "--role", "viewer"], "", "password-stdin"),
        (
            [
                *["user", "add", "lan", "--unit", "D1", "--role", "viewer", "--password-stdin"],
                *["--email", "khong-phai-email"],
            ],
            "mot-mat-khau-dai\n",
            "invalid e-mail",
        ),
    ],
)
def test_it_refuses_bad_user_input_and_creates_nothing(
    org, monkeypatch, capsys, argv, stdin, message
):
    assert run(argv, stdin, monkeypatch) == 2
    assert message in capsys.readouterr().err
    assert not User.objects.filter(username="lan").exists()


def test_it_refuses_an_unknown_role(org, monkeypatch):
    with pytest.raises(SystemExit):
        run(
            ["user", "add", "lan", "--unit", "D1", "--role", "boss", "--password-stdin"],
            "x" * 10,
            monkeypatch,
        )


def test_it_refuses_an_unknown_province_code_without_a_traceback(db, monkeypatch, capsys):
    assert run(["import-divisions", "--province", "99"], "", monkeypatch) == 2
    assert "99" in capsys.readouterr().err


def test_it_imports_units_from_a_file_or_lists_the_bad_rows(org, monkeypatch, capsys, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(
        "code,name,kind,parent,valid_from\nCB1,Chi bộ 1,party_cell,D1,01/01/2020\n",
        encoding="utf-8",
    )
    assert run(["import-units", str(good)], "", monkeypatch) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,kind,parent,valid_from\nCB2,Chi bộ 2,party_cell,NOPE,01/01/2020\n",
        encoding="utf-8",
    )
    assert run(["import-units", str(bad)], "", monkeypatch) == 2
    err = capsys.readouterr().err
    assert "NOPE" in err and "2" in err
    assert list(User.objects.none()) == []
    from trienkhai.orgs.models import Unit

    assert Unit.objects.filter(code="CB1").exists() and not Unit.objects.filter(code="CB2").exists()
