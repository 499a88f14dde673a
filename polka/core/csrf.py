"""A visitor's CSRF secret and mask drawn from one read of the system's random source.

Django draws each of a secret's 32 characters with its own `secrets.choice`, one call into the
kernel's random source per character, and a masked token needs a second such string: 64 calls
for every visitor without the cookie (a first visit, every crawler). That was 0.2-0.3 ms of a
kept page served in 1.7 ms. The strings here are the same: 32 characters of
CSRF_ALLOWED_CHARS, each uniform and independent, from the same source (os.urandom through
`secrets`), by rejection sampling over bytes.
"""

from __future__ import annotations

import secrets

import django.middleware.csrf as django_csrf

CHARS = django_csrf.CSRF_ALLOWED_CHARS
LENGTH = django_csrf.CSRF_SECRET_LENGTH
# Bytes below the largest multiple of len(CHARS) map evenly onto CHARS; the others are dropped.
_EVEN = 256 - 256 % len(CHARS)


def csrf_string() -> str:
    """LENGTH characters of CHARS, uniformly random (what Django's _get_new_csrf_string gives)."""
    drawn: list[str] = []
    while len(drawn) < LENGTH:
        # 48 bytes keep 32 or more but for one draw in 2 x 10^13, which draws again.
        drawn.extend(CHARS[b % len(CHARS)] for b in secrets.token_bytes(48) if b < _EVEN)
    return "".join(drawn[:LENGTH])


def fast_csrf_install() -> None:
    # Django's module reads the name at each call: both the secret and the mask come from here.
    django_csrf._get_new_csrf_string = csrf_string
