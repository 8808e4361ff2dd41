"""Production settings: HTTPS behind a proxy, a secret key required to serve, check --deploy clean."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.test import Client, override_settings

from tests import factories as f

PRODUCTION = {
    "TRIENKHAI_SECRET_KEY": secrets.token_urlsafe(50),
    "TRIENKHAI_HTTPS": "1",
    "TRIENKHAI_BEHIND_PROXY": "1",
    "TRIENKHAI_ALLOWED_HOSTS": "baocao.example.vn",
}


def _trienkhai(*args: str, env: dict, tmp_path) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TRIENKHAI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.update(
        TRIENKHAI_DATA_DIR=str(tmp_path),
        TRIENKHAI_DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "trienkhai.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    done = _trienkhai(
        "manage", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_it_refuses_to_serve_without_a_secret_key(tmp_path):
    served = _trienkhai("serve", "--port", "1", env={}, tmp_path=tmp_path)
    assert served.returncode == 2
    assert "TRIENKHAI_SECRET_KEY" in served.stderr
    checked = _trienkhai("manage", "check", "--deploy", env={}, tmp_path=tmp_path)
    assert checked.returncode != 0 and "trienkhai.E001" in checked.stderr + checked.stdout


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_HSTS_SECONDS=31536000,
    ALLOWED_HOSTS=["baocao.example.vn"],
    CSRF_TRUSTED_ORIGINS=["https://baocao.example.vn"],
)
@pytest.mark.django_db
def test_it_logs_in_over_https_behind_a_proxy(personas):
    """GIVEN a proxy that terminates TLS and says so in X-Forwarded-Proto,
    THEN plain HTTP is redirected, and a log-in over HTTPS passes the CSRF check."""
    client = Client(enforce_csrf_checks=True, HTTP_HOST="baocao.example.vn")
    assert client.get("/dang-nhap/").status_code == 301
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    page = client.get("/dang-nhap/", **https)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    assert client.cookies["csrftoken"]["secure"]
    logged_in = client.post(
        "/dang-nhap/",
        {"username": "manager", "password": f.PASSWORD, "csrfmiddlewaretoken": token[1]},
        HTTP_ORIGIN="https://baocao.example.vn",
        HTTP_REFERER="https://baocao.example.vn/dang-nhap/",
        **https,
    )
    assert logged_in.status_code == 302, logged_in.content[:500]
    assert client.cookies["sessionid"]["secure"]


@pytest.mark.django_db
def test_a_refusal_is_logged_on_one_line_without_a_traceback(personas, web):
    import io
    import logging

    console = next(
        h
        for h in logging.getLogger().handlers
        if any(type(f).__name__ == "RefusalWithoutTraceback" for f in h.filters)
    )
    out = io.StringIO()
    # Not setStream: it flushes the old stream, which may be a capture pytest has closed.
    stream, console.stream = console.stream, out  # type: ignore[attr-defined]
    try:
        assert web(personas.outsider).get("/bao-cao/quan-tri/chi-tieu/").status_code == 403
    finally:
        console.stream = stream  # type: ignore[attr-defined]
    assert "Forbidden" in out.getvalue()
    assert "Traceback" not in out.getvalue()
