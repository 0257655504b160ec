"""Security headers: the Content-Security-Policy and its nonces, and the rest.

The browser side (no CSP violation in the web app, Swagger UI or Django admin) is the
Playwright suite's: it fails on any console error, CSP reports included.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from accounts.models import User
from bmw.app_files import AppFilesMiddleware
from tests.conftest import PASSWORD, run_python

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def _policy(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in header.split(";") if part
    )


def _check_policy(response: Any) -> str | None:
    """The policy is ours, strict; returns its style nonce if it has one."""
    policy = _policy(response)
    assert {k: policy.get(k) for k in POLICY} == POLICY
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert policy["style-src"].startswith("'self'")
    match = NONCE.search(policy["style-src"])
    return match.group(1) if match else None


@pytest.fixture
def web_app(settings: Any, tmp_path: Path) -> Path:
    """A built index.html as Vite writes it (vite.config.ts html.cspNonce)."""
    (tmp_path / "index.html").write_text(
        '<meta property="csp-nonce" nonce="BMW_CSP_NONCE">'
        '<script type="module" nonce="BMW_CSP_NONCE" src="/assets/index.js"></script>'
        '<div id="root"></div>'
    )
    settings.BMW_FRONTEND_DIST = tmp_path
    return tmp_path


def test_web_app_gets_a_fresh_nonce_for_its_styles(
    client: Client, web_app: Path
) -> None:
    first, second = client.get("/"), client.get("/learnwares/42")

    nonces = []
    for response in (first, second):
        nonce = _check_policy(response)
        assert nonce is not None
        html = response.getvalue().decode()
        assert "BMW_CSP_NONCE" not in html
        assert html.count(f'nonce="{nonce}"') == 2  # the meta tag and the script
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert len(nonces[0]) >= 22  # 16 random bytes


@pytest.mark.parametrize("autorefresh", [False, True])
def test_index_html_by_name_is_the_app_page_with_its_nonce(
    client: Client, web_app: Path, settings: Any, autorefresh: bool
) -> None:
    """WhiteNoise serves the app's other files but leaves ``/index.html`` to the
    view that fills in the nonce."""
    (web_app / "app.js").write_text("console.log(1)")
    settings.WHITENOISE_ROOT = web_app
    settings.WHITENOISE_AUTOREFRESH = autorefresh
    files = AppFilesMiddleware(lambda request: HttpResponse("from the view"))
    factory = RequestFactory()

    assert files(factory.get("/index.html")).content == b"from the view"
    served = files(factory.get("/app.js"))
    assert b"".join(served.streaming_content) == b"console.log(1)"

    page = client.get("/index.html")
    nonce = _check_policy(page)
    assert nonce is not None
    assert page.getvalue().decode().count(f'nonce="{nonce}"') == 2


def test_api_docs_page_has_no_inline_script_and_a_nonced_style(client: Client) -> None:
    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    nonce = _check_policy(page)
    html = page.getvalue().decode()
    assert nonce is not None
    assert re.findall(r"<style[^>]*>", html) == [f'<style nonce="{nonce}">']
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts
    assert all("src=" in attrs for attrs in scripts)
    assert "/api/docs/?script=" in html
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.getvalue()
    assert b'"validatorUrl": null' in script.getvalue()  # no third-party badge


def test_django_admin_pages_need_no_inline_script(client: Client, admin: User) -> None:
    client.force_login(admin)
    pages = [
        client.get(path)
        for path in ("/admin/login/", "/admin/", "/admin/accounts/user/")
    ]

    for page in pages:
        assert page.status_code in (200, 302), page
        _check_policy(page)
        html = page.getvalue().decode()
        assert all("src=" in a for a in re.findall(r"<script([^>]*)>", html))
        assert "<style" not in html
        assert ' style="' not in html


def test_every_response_carries_the_other_headers(client: Client) -> None:
    for response in (client.get("/api/"), client.get("/healthz"), client.get("/")):
        _check_policy(response)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response  # plain HTTP here


def test_session_cookie_is_httponly_and_samesite(client: Client, user: User) -> None:
    response = client.post(
        "/api/auth/login/",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert not session["secure"]  # plain HTTP in tests; see the TLS test below


def _settings_of(**env: str) -> dict[str, Any]:
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
    ]
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_behind_a_tls_proxy_cookies_are_secure_and_hsts_is_on() -> None:
    plain = _settings_of(BMW_BEHIND_TLS_PROXY="false")
    tls = _settings_of(BMW_BEHIND_TLS_PROXY="true")

    assert plain["SECURE_HSTS_SECONDS"] == 0
    assert plain["SESSION_COOKIE_SECURE"] is False
    assert tls["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert tls["SESSION_COOKIE_SECURE"] is True
    assert tls["CSRF_COOKIE_SECURE"] is True
    assert tls["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert tls["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    for values in (plain, tls):
        assert values["SESSION_COOKIE_HTTPONLY"] is True
        assert values["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_hsts_header_is_sent_on_https_requests(client: Client, settings: Any) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000

    secure = client.get("/api/", HTTP_X_FORWARDED_PROTO="https")

    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_no_cross_origin_reads(client: Client) -> None:
    """No CORS: a page on another origin cannot read the API's answers."""
    preflight = client.options(
        "/api/users/me/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    simple = client.get("/api/learnwares/", HTTP_ORIGIN="https://evil.example")

    for response in (preflight, simple):
        assert not any(
            h.lower().startswith("access-control-") for h in response.headers
        )
