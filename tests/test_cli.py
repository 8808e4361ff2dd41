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
