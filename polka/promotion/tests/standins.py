"""Local stand-ins for the Telegram Bot API and the VK API: an HTTP server on 127.0.0.1 that
records every request and answers as the services do (results, errors, 429 with retry_after,
VK's one post per guid). Tests script the next answers with `fail_next`."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

BOT_TOKEN = "123456:AAH-bot-token-never-shown"
VK_TOKEN = "vk1.a.community-token-never-shown"


@dataclass
class Request:
    path: str
    method: str  # the API method: sendMessage, sendPhoto, wall.post
    token: str
    fields: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Services:
    url: str
    requests: list[Request] = field(default_factory=list)
    planned: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    vk_posts: dict[str, int] = field(default_factory=dict)  # guid → post_id
    telegram_messages: int = 0

    @property
    def telegram_api(self) -> str:
        return self.url + "/telegram"

    @property
    def vk_api(self) -> str:
        return self.url + "/vk/method"

    def fail_next(self, status: int, body: dict[str, Any]) -> None:
        self.planned.append((status, body))

    def posts(self) -> list[Request]:
        """Requests that made a post (VK's repeated guids count once)."""
        seen: set[str] = set()
        made = []
        for request in self.requests:
            guid = request.fields.get("guid")
            if guid and guid in seen:
                continue
            if guid:
                seen.add(guid)
            made.append(request)
        return made


def _parse(handler: BaseHTTPRequestHandler) -> tuple[dict[str, Any], dict[str, bytes]]:
    length = int(handler.headers.get("Content-Length", 0))
    raw = handler.rfile.read(length)
    kind = handler.headers.get("Content-Type", "")
    if kind.startswith("application/json"):
        return json.loads(raw), {}
    if kind.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {kind}\r\n\r\n".encode() + raw
        )
        fields: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[str(name)] = payload
            else:
                fields[str(name)] = payload.decode()
        return fields, files
    return {k: v[0] for k, v in parse_qs(raw.decode()).items()}, {}


def _handler(services: Services) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            fields, files = _parse(self)
            telegram = re.fullmatch(r"/telegram/bot([^/]+)/(\w+)", self.path)
            vk = re.fullmatch(r"/vk/method/([\w.]+)", self.path)
            if telegram:
                token, method = telegram.groups()
            elif vk:
                token, method = str(fields.get("access_token", "")), vk.group(1)
            else:
                self._answer(404, {"error": "not found"})
                return
            services.requests.append(Request(self.path, method, token, fields, files))
            if services.planned:
                self._answer(*services.planned.pop(0))
            elif telegram:
                self._telegram(token)
            else:
                self._vk(token, fields)

        def _telegram(self, token: str) -> None:
            if token != BOT_TOKEN:
                body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
                self._answer(401, body)
                return
            services.telegram_messages += 1
            result = {"message_id": services.telegram_messages, "chat": {"type": "channel"}}
            self._answer(200, {"ok": True, "result": result})

        def _vk(self, token: str, fields: dict[str, Any]) -> None:
            if token != VK_TOKEN:
                error = {"error_code": 5, "error_msg": "User authorization failed"}
                self._answer(200, {"error": error})
                return
            guid = str(fields.get("guid", ""))
            post_id = services.vk_posts.setdefault(guid, 100 + len(services.vk_posts))
            self._answer(200, {"response": {"post_id": post_id}})

    return Handler


@pytest.fixture
def services(settings: Any) -> Iterator[Services]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Services("")))
    stand_in = Services(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(stand_in)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.POLKA_TELEGRAM_API = stand_in.telegram_api
    settings.POLKA_VK_API = stand_in.vk_api
    settings.POLKA_PROMOTION_HOLD_MINUTES = 0
    yield stand_in
    server.shutdown()
    server.server_close()
