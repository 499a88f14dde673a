"""The two services' HTTP APIs, reduced to "post this" and a typed answer. The addresses come
from settings (POLKA_TELEGRAM_API, POLKA_VK_API), so tests point them at a local stand-in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

TIMEOUT = (5, 20)  # seconds to connect, to read
VK_VERSION = "5.199"
# VK error codes worth another try: unknown, too many requests, flood control, internal, rate.
VK_RETRY = {1, 6, 9, 10, 29}


@dataclass(frozen=True)
class Outgoing:
    """One post as the service is asked to make it."""

    target: str
    text: str
    caption: str
    link: str
    photo: tuple[str, bytes] | None  # file name, content
    reply_to: str
    guid: str


@dataclass(frozen=True)
class Answer:
    ok: bool
    status: int | None
    body: str
    remote_id: str = ""
    # The service refused for now (rate limit, its own error): try again later.
    retry: bool = False
    retry_after: int | None = None
    # The connection broke after the request may have reached the service.
    uncertain: bool = False


def _hide(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def _transport_failure(exc: requests.RequestException, token: str) -> Answer:
    # A refused or timed-out connection never reached the service: safe to try again. Anything
    # later (a read timeout, a reset) may have posted already.
    not_sent = isinstance(exc, requests.ConnectTimeout) or "NewConnectionError" in repr(exc)
    body = _hide(f"{type(exc).__name__}: {exc}", token)[:2000]
    return Answer(ok=False, status=None, body=body, retry=not_sent, uncertain=not not_sent)


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def telegram_post(*, token: str, post: Outgoing) -> Answer:
    base = f"{settings.POLKA_TELEGRAM_API.rstrip('/')}/bot{token}"
    fields: dict[str, Any] = {"chat_id": post.target}
    if post.reply_to:
        fields["reply_parameters"] = {
            "message_id": int(post.reply_to),
            "allow_sending_without_reply": True,
        }
    try:
        if post.photo is not None:
            fields["caption"] = post.caption
            if "reply_parameters" in fields:
                fields["reply_parameters"] = json.dumps(fields["reply_parameters"])
            response = requests.post(
                f"{base}/sendPhoto", data=fields, files={"photo": post.photo}, timeout=TIMEOUT
            )
        else:
            fields["text"] = post.text
            response = requests.post(f"{base}/sendMessage", json=fields, timeout=TIMEOUT)
    except requests.RequestException as exc:
        return _transport_failure(exc, token)
    data = _json(response)
    body = _hide(response.text, token)[:2000]
    if response.status_code == 200 and data.get("ok"):
        message_id = (data.get("result") or {}).get("message_id", "")
        return Answer(ok=True, status=200, body=body, remote_id=str(message_id))
    retry_after = (data.get("parameters") or {}).get("retry_after")
    return Answer(
        ok=False,
        status=response.status_code,
        body=body,
        retry=response.status_code == 429 or response.status_code >= 500,
        retry_after=int(retry_after) if retry_after is not None else None,
    )


def vk_post(*, token: str, post: Outgoing) -> Answer:
    """wall.post with a guid: VK makes one post of repeated calls with the same guid, so a call
    whose answer was lost can be repeated. The photo shows through the link's Open Graph card
    (a community token may not upload wall photos)."""
    fields = {
        "owner_id": f"-{post.target.lstrip('-')}",
        "from_group": "1",
        "message": post.text,
        "attachments": post.link,
        "guid": post.guid,
        "v": VK_VERSION,
        "access_token": token,
    }
    try:
        response = requests.post(
            f"{settings.POLKA_VK_API.rstrip('/')}/wall.post", data=fields, timeout=TIMEOUT
        )
    except requests.RequestException as exc:
        failure = _transport_failure(exc, token)
        return Answer(ok=False, status=None, body=failure.body, retry=True)
    data = _json(response)
    body = _hide(response.text, token)[:2000]
    if response.status_code == 200 and "response" in data:
        return Answer(
            ok=True, status=200, body=body, remote_id=str(data["response"].get("post_id", ""))
        )
    code = (data.get("error") or {}).get("error_code")
    return Answer(
        ok=False,
        status=response.status_code,
        body=body,
        retry=code in VK_RETRY or response.status_code == 429 or response.status_code >= 500,
    )
