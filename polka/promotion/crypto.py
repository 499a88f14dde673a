"""Sealing secrets (service tokens) at rest with the standard library only: a stream cipher made
of HMAC-SHA256 in counter mode, then HMAC-SHA256 over nonce and ciphertext (encrypt-then-MAC).

The keys are derived from POLKA_SECRETS_KEY, else SECRET_KEY: changing that key makes the sealed
tokens unreadable (SecretUnreadable), and a manager enters them again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

from polka.promotion.errors import SecretUnreadable

VERSION = b"s1"
NONCE = 16
TAG = 32


def _keys() -> tuple[bytes, bytes]:
    master = str(getattr(settings, "POLKA_SECRETS_KEY", "") or settings.SECRET_KEY).encode()
    encrypt = hmac.new(master, b"polka.promotion encrypt", hashlib.sha256).digest()
    sign = hmac.new(master, b"polka.promotion sign", hashlib.sha256).digest()
    return encrypt, sign


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(
        hmac.new(key, nonce + n.to_bytes(8, "big"), hashlib.sha256).digest() for n in range(blocks)
    )[:length]


def seal(plain: str) -> str:
    """The secret, encrypted and signed, as ASCII text for a database column."""
    encrypt, sign = _keys()
    nonce = secrets.token_bytes(NONCE)
    data = plain.encode()
    cipher = bytes(a ^ b for a, b in zip(data, _keystream(encrypt, nonce, len(data)), strict=True))
    tag = hmac.new(sign, VERSION + nonce + cipher, hashlib.sha256).digest()
    return (VERSION + b":" + base64.urlsafe_b64encode(nonce + cipher + tag)).decode()


def unseal(sealed: str) -> str:
    encrypt, sign = _keys()
    version, _, payload = sealed.encode().partition(b":")
    try:
        raw = base64.urlsafe_b64decode(payload)
    except ValueError as exc:
        raise SecretUnreadable() from exc
    nonce, cipher, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    expected = hmac.new(sign, version + nonce + cipher, hashlib.sha256).digest()
    if version != VERSION or len(raw) < NONCE + TAG or not hmac.compare_digest(tag, expected):
        raise SecretUnreadable()
    data = bytes(
        a ^ b for a, b in zip(cipher, _keystream(encrypt, nonce, len(cipher)), strict=True)
    )
    return data.decode()
