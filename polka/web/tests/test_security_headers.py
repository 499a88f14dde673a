"""Security headers on every page, no inline script anywhere, and a production configuration
that `polka check --deploy` passes with no issue (issue 15)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.web.tests.test_authorisation_sweep import AT, url_names

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def pages_without_arguments() -> list[str]:
    """Every URL of the project that takes no argument (the admin's own pages aside)."""
    return sorted(
        {
            "/" + path
            for path, _name in url_names()
            if "<" not in path and not path.startswith("admin/") and "(?" not in path
        }
    )


# The widgets partners embed (polka/promotion/widgets.py): the only pages other sites may frame.
FRAMABLE = {"/widgets/events/", "/widgets/new/", "/widgets/search/"}


def assert_secure(response, *, framable: bool = False) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    scripts = re.search(r"script-src ([^;]*)", policy)
    assert scripts and "'unsafe-inline'" not in scripts[1] and "'unsafe-eval'" not in scripts[1]
    if framable:
        assert "frame-ancestors 'none'" not in policy and "X-Frame-Options" not in response.headers
    else:
        assert "frame-ancestors 'none'" in policy
    assert response.headers.get("Referrer-Policy") == "same-origin"
    assert "camera=()" in response.headers.get("Permissions-Policy", "")
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


def test_every_page_carries_the_security_headers_for_visitors_and_staff(client, branch_a):
    pages = pages_without_arguments()
    assert len(pages) > 40
    assert set(pages) >= FRAMABLE
    for page in pages:
        assert_secure(client.get(page), framable=page in FRAMABLE)
    staff, _ = staff_user_create(username="staff", roles={Role.ADMINISTRATOR: "all"}, at=AT)
    client.force_login(staff)
    for page in [*pages, reverse("admin:index")]:
        assert_secure(client.get(page), framable=page in FRAMABLE)


def test_no_template_runs_inline_script():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>")
    # onclick=… and htmx's hx-on…=, which htmx evaluates: both blocked by the policy.
    handler = re.compile(r"<[^>]+\s(?:on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "polka").rglob("templates/**/*.html")
        if inline_script.search(text := path.read_text()) or handler.search(text)
    ]
    assert offenders == []


def test_check_deploy_passes_under_production_settings(tmp_path):
    # The test run's own variables (DJANGO_ALLOW_ASYNC_UNSAFE for Playwright) are not a
    # deployment's.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "POLKA_SECRET_KEY": "x" * 20 + "-production-check-" + "y" * 30,
        "POLKA_ALLOWED_HOSTS": "library.example",
        "POLKA_SITE_URL": "https://library.example",
        "POLKA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    polka = Path(sys.executable).with_name("polka")
    done = subprocess.run(
        [str(polka), "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout
    assert settings.SECURE_REFERRER_POLICY == "same-origin"
