"""The production path as an IT person walks it: `polka upgrade` on an older database, `polka
serve` under production settings on PostgreSQL, and two servers on one database.

Each test runs the real commands in subprocesses. `polka upgrade` runs in the SQLite pass (it is
the same on both engines); the served tests need PostgreSQL, as a site with two application
servers does.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django.utils import timezone

from polka.cli.tests.servers import env_without_test_settings, free_port, serving
from polka.org.models import Role
from polka.org.services import staff_user_create

POLKA = str(Path(sys.executable).parent / "polka")
ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several servers share one PostgreSQL database"
)


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    return env_without_test_settings(
        var_dir, POLKA_SSL_REDIRECT="0", POLKA_SEARCH_CACHE_SECONDS="300", **extra
    )


def _polka(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POLKA, *args], env=env, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.fixture(scope="session")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A SQLite site migrated by an older version (web's migrations after 0001 not yet), then
    `polka upgrade`."""
    var = tmp_path_factory.mktemp("site")
    env = _env(var)
    for step in (("migrate", "--noinput"), ("migrate", "web", "0001", "--noinput")):
        done = _polka(*step, env=env)
        assert done.returncode == 0, done.stderr
    first = _polka("upgrade", env=env)
    assert first.returncode == 0, first.stderr
    return var, first.stdout


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the same on both engines: run once")
def test_upgrade_backs_up_migrates_collects_and_the_second_run_does_nothing(upgraded):
    var, first = upgraded
    assert "backup written:" in first
    assert "migrations applied: 2 (web.0002_cache_table, web.0003_cache_table_unlogged)" in first
    assert "static files collected:" in first
    assert (var / "static" / "staticfiles.json").exists()
    backups = list((var / "backups").iterdir())
    assert len(backups) == 1
    second = _polka("upgrade", env=_env(var))
    assert second.returncode == 0, second.stderr
    assert "nothing to do" in second.stdout and "backup" not in second.stdout
    assert list((var / "backups").iterdir()) == backups


def test_every_model_change_has_a_migration(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# --- served on PostgreSQL -----------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


@contextlib.contextmanager
def _served(var: Path, static: Path) -> Iterator[str]:
    """`polka serve` (one worker) on the test database, with its own var/ folder."""
    var.mkdir()
    (var / "static").symlink_to(static)
    port = free_port()
    env = _env(var, DATABASE_URL=_database_url(), POLKA_ALLOWED_HOSTS="127.0.0.1")
    argv = [POLKA, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    with serving(argv, port=port, env=env, log=var / "serve.log", timeout=60, cwd=var) as base:
        yield base


class Browser:
    """Just enough of a browser for a form login: cookies kept by hand, because production
    marks them Secure and the test talks plain HTTP to the server (TLS is nginx's job)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def open(
        self, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        request.add_header("Referer", self.base + path)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            answer = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            answer = error
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return answer.status, answer.read().decode(errors="replace"), dict(answer.headers)

    def csrf(self, path: str) -> str:
        _status, html, _headers = self.open(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, f"no form on {path}"
        return found.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@pytest.fixture
def static(upgraded) -> Path:
    return upgraded[0] / "static"


@pytest.fixture
def shared_cache(transactional_db) -> None:
    """The production cache lives in the database: its table, as `polka upgrade` makes it."""
    from django.core.management import call_command
    from django.test import override_settings

    db_cache = {"BACKEND": "polka.core.dbcache.DatabaseCache", "LOCATION": "polka_cache"}
    with override_settings(CACHES={"default": db_cache}):
        call_command("createcachetable", verbosity=0)


@ON_POSTGRESQL
def test_polka_serve_answers_pages_and_compressed_long_cached_static_files(
    static, shared_cache, tmp_path
):
    with _served(tmp_path / "server", static) as base:
        page = Browser(base)
        for path in ("/", "/search/?q=%D0%BA%D0%BD%D0%B8%D0%B3%D0%B0", "/events/", "/news/"):
            status, _html, _headers = page.open(path)
            assert status == 200, path
        status, body, _headers = page.open("/healthz")
        assert status == 200 and json.loads(body)["database"]["engine"] == "postgresql"
        manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
        request = urllib.request.Request(  # noqa: S310
            f"{base}/static/{manifest['web/polka.css']}", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=10) as css:  # noqa: S310
            assert css.headers["Content-Encoding"] == "gzip"
            assert "immutable" in css.headers["Cache-Control"]
        access_log = (tmp_path / "server" / "serve.log").read_text()
        assert '"GET /search/"' in access_log and "%D0%BA" not in access_log  # no query strings


@ON_POSTGRESQL
def test_two_servers_on_one_database_see_each_others_changes_at_once(
    static, shared_cache, tmp_path
):
    user, password = staff_user_create(
        username="katalog", roles={Role.CATALOGUER: "all"}, at=timezone.now()
    )
    # The suite hashes with MD5 for speed; the served site knows only production's Argon2.
    argon2 = Argon2PasswordHasher()
    user.password = argon2.encode(password, argon2.salt())
    user.save(update_fields=["password"])
    word = "Зеркальнокрылые"
    with _served(tmp_path / "a", static) as first, _served(tmp_path / "b", static) as second:
        reader = Browser(second)
        search = "/search/?q=" + urllib.parse.quote(word)
        assert f"{word} стрекозы" not in reader.open(search)[1]  # the second server caches this
        staff = Browser(first)
        token = staff.csrf("/accounts/login/")
        status, _html, _headers = staff.open(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": "katalog", "password": password},
        )
        assert status == 302, "login failed"
        token = staff.csrf("/staff/catalog/records/new/")
        status, html, _headers = staff.open(
            "/staff/catalog/records/new/",
            {
                "csrfmiddlewaretoken": token,
                "format": "marc21",
                "text": f"=LDR  00000nam a2200000 i 4500\n=245  10$a{word} стрекозы",
            },
        )
        assert status == 302, html[:2000]
        # The second server's cached answer is gone the moment the first one changed the index.
        assert f"{word} стрекозы" in reader.open(search)[1]
