"""Real receivers on loopback for the delivery tests, and databases worker processes share.

``HttpReceiver`` is a webhook endpoint (``http.server.ThreadingHTTPServer`` in a thread);
``SmtpReceiver`` a mail server (aiosmtpd). Both record every delivery as it arrived and keep
one effect per idempotency key (``X-CareDesk-Event-Id``, ``Message-ID``), as the outbox
asks receivers to: ``received`` holds everything, ``unique`` one entry per key,
``duplicates`` how many arrived again.

``worker_database`` makes a database that ``caredesk worker`` subprocesses and the test
process can all reach (pytest-django's test database is visible to neither).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from caredesk.automation.outbox import SIGNATURE_HEADER, verify

CAREDESK = str(Path(sys.executable).with_name("caredesk"))
EVENT_ID_HEADER = "X-CareDesk-Event-Id"


# -- webhooks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One POST as it arrived, and what the receiver made of it."""

    path: str
    headers: dict[str, str]  # names in lower case: HTTP header names ignore case
    body: bytes
    status: int  # what the receiver answered
    signature_ok: bool | None  # None: the receiver was given no secret
    duplicate: bool  # accepted before: no second effect

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def event_id(self) -> str:
        return self.header(EVENT_ID_HEADER)


class HttpReceiver:
    """A webhook endpoint on ``127.0.0.1:<free port>``.

    ``fail_first``: answer ``fail_status`` to that many requests first (then ``status``).
    ``delay``: seconds (or a function of the request number giving them) to wait after the
    effect is recorded and before answering, so that a sender can die in between.
    ``secret``: verify ``X-CareDesk-Signature`` at ``clock()`` (default: the real time;
    tests that inject ``now`` into the dispatcher set ``receiver.now`` to the same instant).
    A request with a bad signature is answered 401 and has no effect. ``status`` and
    ``fail_first`` may be changed while it runs.
    """

    def __init__(
        self,
        *,
        secret: str | None = None,
        status: int = 200,
        fail_first: int = 0,
        fail_status: int = 500,
        delay: float | Callable[[int], float] = 0.0,
    ) -> None:
        self.secret = secret
        self.status = status
        self.fail_first = fail_first
        self.fail_status = fail_status
        self.delay = delay
        self.now: datetime | None = None
        self.received: list[Request] = []
        self.unique: dict[str, Request] = {}
        self.duplicates = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/hooks/caredesk"

    def clock(self) -> datetime:
        return self.now if self.now is not None else datetime.now(UTC)

    def start(self) -> HttpReceiver:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> HttpReceiver:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    def accepted(self) -> list[Request]:
        """Requests answered 2xx, duplicates included."""
        with self._lock:
            return [r for r in self.received if 200 <= r.status < 300]

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, float]:
        """Record one request; returns the status to answer and how long to wait first."""
        signature_ok = None
        if self.secret is not None:
            signature_ok = verify(
                self.secret, headers.get(SIGNATURE_HEADER.lower(), ""), body, now=self.clock()
            )
        with self._lock:
            number = len(self.received)
            if number < self.fail_first:
                status = self.fail_status
            elif signature_ok is False:
                status = 401
            else:
                status = self.status
            key = headers.get(EVENT_ID_HEADER.lower(), "")
            duplicate = 200 <= status < 300 and key in self.unique
            request = Request(path, headers, body, status, signature_ok, duplicate)
            self.received.append(request)
            if 200 <= status < 300:
                if duplicate:
                    self.duplicates += 1
                else:
                    self.unique[key] = request
        delay = self.delay(number) if callable(self.delay) else self.delay
        return status, delay

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 30  # a sender killed mid-request must not hold a thread for ever

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:
                    return  # the sender went away mid-body: nothing arrived
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, delay = receiver._handle(self.path, headers, body)
                if delay > 0:
                    time.sleep(delay)  # the effect is recorded; the sender may die now
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the sender was killed while waiting for the answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


# -- e-mail -----------------------------------------------------------------------------------


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: EmailMessage
    duplicate: bool

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class _Handler:
    owner: SmtpReceiver

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.owner._record(str(envelope.mail_from), list(envelope.rcpt_tos), message)
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's controller, bound to a port the system chose (``port=0``)."""

    def _trigger_server(self) -> None:
        # As aiosmtpd's own trigger (connect once, so that the SMTP protocol starts), once
        # the real port is known.
        server = self.server
        assert isinstance(server, asyncio.Server)
        self.port = int(server.sockets[0].getsockname()[1])
        with socket.create_connection((self.hostname, self.port), 1.0) as connection:
            connection.recv(1024)


@dataclass
class SmtpReceiver:
    """An SMTP server on ``127.0.0.1:<free port>`` keeping one message per ``Message-ID``."""

    received: list[Mail] = field(default_factory=list)
    unique: dict[str, Mail] = field(default_factory=dict)
    duplicates: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._controller = _Controller(_Handler(self), hostname="127.0.0.1", port=0)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def start(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpReceiver:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _record(self, sender: str, recipients: list[str], message: EmailMessage) -> None:
        key = str(message["Message-ID"] or "")
        with self._lock:
            duplicate = key in self.unique
            mail = Mail(sender, recipients, message, duplicate)
            self.received.append(mail)
            if duplicate:
                self.duplicates += 1
            else:
                self.unique[key] = mail

    def to(self, address: str) -> list[Mail]:
        with self._lock:
            return [m for m in self.unique.values() if address in m.recipients]

    def count(self) -> int:
        with self._lock:
            return len(self.received)


# -- a database worker processes can share ----------------------------------------------------


@dataclass
class WorkerDatabase:
    """A migrated database outside pytest-django's, named by ``url``; ``env`` starts a
    ``caredesk`` subprocess on it."""

    url: str
    vendor: str  # "sqlite" or "postgresql"
    env: dict[str, str]
    path: Path | None = None  # SQLite only

    def connect(self) -> Any:
        """A plain DB-API connection from the test process (autocommit)."""
        if self.vendor == "sqlite":
            assert self.path is not None
            return sqlite3.connect(self.path, timeout=30, isolation_level=None)
        import psycopg

        return psycopg.connect(_libpq(self.url), autocommit=True)

    def scalar(self, query: str, params: Sequence[object] = ()) -> Any:
        conn = self.connect()
        try:
            if self.vendor == "sqlite":
                query = query.replace("%s", "?")
            row = conn.execute(query, params).fetchone()
            return None if row is None else row[0]
        finally:
            conn.close()

    def rows(self, query: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        conn = self.connect()
        try:
            if self.vendor == "sqlite":
                query = query.replace("%s", "?")
            return list(conn.execute(query, params).fetchall())
        finally:
            conn.close()

    def run(self, *args: str, timeout: float = 120) -> str:
        """``caredesk <args>`` on this database; its output, or the test fails."""
        done = subprocess.run(
            [CAREDESK, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise AssertionError(f"caredesk {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def python(self, script: str, *args: str, timeout: float = 120) -> str:
        """A Python script with Django set up on this database."""
        prelude = (
            "import django, os, sys\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'caredesk.site.settings')\n"
            "django.setup()\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", prelude + script, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AssertionError(f"the set-up script failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def worker(
        self, *args: str, log: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        """``caredesk worker <args>`` in the background (output to ``log``; ``env`` adds to
        the database's environment)."""
        out = log.open("ab") if log is not None else subprocess.DEVNULL
        try:
            return subprocess.Popen(
                [CAREDESK, "worker", *args],
                env={**self.env, **(env or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        finally:
            if log is not None and not isinstance(out, int):
                out.close()


def _libpq(url: str) -> str:
    """psycopg takes ``postgresql://``; Django's URLs may say ``postgres://``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def postgres_url() -> str | None:
    """The PostgreSQL server the suite runs on, if it does (``DATABASE_URL``)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@contextmanager
def worker_database(tmp_path: Path, label: str) -> Iterator[WorkerDatabase]:
    """A fresh, migrated database: a dedicated PostgreSQL database on the suite's server
    when ``DATABASE_URL`` names one (dropped afterwards), else an SQLite file in
    ``tmp_path``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT")
    }
    env.update(
        CAREDESK_ENV="development",
        CAREDESK_VAR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="caredesk.site.settings",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    server = postgres_url()
    if server is None:
        path = tmp_path / f"{label}.sqlite3"
        url = f"sqlite:///{path}"
        db = WorkerDatabase(url, "sqlite", {**env, "DATABASE_URL": url}, path)
        db.run("migrate")
        yield db
        return
    import psycopg
    from psycopg import sql

    name = f"caredesk_{label}_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(server)
    admin = _libpq(urlunsplit(parts._replace(path="/postgres")))
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        db = WorkerDatabase(url, "postgresql", {**env, "DATABASE_URL": url})
        db.run("migrate")
        yield db
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
