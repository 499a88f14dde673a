"""The files under deploy/ are the ones docs/deploy.md shows, and they work: units verified by
systemd where it is installed, commands that exist, variables that the settings read."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
GUIDE = (ROOT / "docs" / "deploy.md").read_text()


def test_the_guide_shows_every_deploy_file_and_no_other():
    shipped = {
        str(p.relative_to(ROOT))
        for p in DEPLOY.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    named = set(re.findall(r"deploy/[\w./-]+\.\w+", GUIDE))
    assert shipped == named


def test_every_unit_runs_a_polka_command_that_exists():
    commands = get_commands()
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                program, command, *_args = line.removeprefix("ExecStart=").split()
                assert program == "/srv/polka/.venv/bin/polka", unit.name
                assert command in commands, (unit.name, command)


def test_every_variable_of_the_example_environment_is_read_by_polka():
    sources = "".join(p.read_text() for p in (ROOT / "config").rglob("*.py"))
    sources += (DEPLOY / "gunicorn.conf.py").read_text()
    for line in (DEPLOY / "polka.env.example").read_text().splitlines():
        name = line.lstrip("# ").split("=", 1)[0]
        if "=" in line and name.isupper() and name != "DJANGO_SETTINGS_MODULE":
            assert f'"{name}"' in sources, name


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_accepts_the_units(tmp_path):
    # The units name the paths of a server (/srv/polka, /etc/polka); point them at this checkout.
    replacements = {
        "/srv/polka": str(ROOT),
        "/etc/polka/polka.env": str(DEPLOY / "polka.env.example"),
        "=polka\n": "=root\n",
    }
    for unit in UNITS:
        text = unit.read_text()
        for old, new in replacements.items():
            text = text.replace(old, new)
        (tmp_path / unit.name).write_text(text)
    checked = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr


def test_gunicorn_accepts_its_configuration():
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--check-config",
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "PATH": "/usr/bin:/bin",
            "POLKA_VAR_DIR": str(ROOT / "var"),
        },
    )
    assert checked.returncode == 0, checked.stderr
