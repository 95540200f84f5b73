"""Real processes for the integration tests: a Redis server, an SMTP server on loopback, Celery
workers and beats. Each runs in its own process group, so a test can `kill -9` all of it."""

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.2, on_timeout=None):
    """Poll until `predicate()` is true; fail with `what` (and some logs) after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    details = on_timeout() if on_timeout else ""
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}\n{details}")


class Process:
    """A child in its own session (process group): killed as a whole, never by name."""

    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.args, self.env, self.log_path = name, args, env, log
        self.proc: subprocess.Popen | None = None

    def start(self):
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        return self

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        """SIGKILL the whole process group: the main process and its pool children at once."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self, timeout: float = 10):
        if not self.running:
            self.proc = None
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.kill9()

    def log(self, tail: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        lines = self.log_path.read_text(errors="replace").splitlines()
        return f"--- {self.name} ({self.log_path}) ---\n" + "\n".join(lines[-tail:])


class RedisServer:
    """Our own redis-server on a free port, without persistence: stopping it loses every message
    it held, the worst case for a broker restart."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.tmp = tmp
        self.process = Process(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(tmp),
            ],
            dict(os.environ),
            tmp / "redis.log",
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self):
        self.process.start()
        wait_until(self.ping, timeout=10, what="redis-server to answer", on_timeout=self.process.log)
        return self

    def kill9(self):
        self.process.kill9()


class Sink:
    """What the SMTP server received: one entry per message, in order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(preferencelist=("plain",))
        with self.lock:
            self.messages.append(
                {
                    "key": message["X-Reminder-Key"],
                    "message_id": message["Message-ID"],
                    "to": list(envelope.rcpt_tos),
                    "language": message["Content-Language"],
                    "subject": str(message["Subject"]),
                    "text": text.get_content() if text is not None else "",
                    "at": time.monotonic(),
                }
            )
        return "250 Message accepted for delivery"

    def keys(self) -> Counter:
        with self.lock:
            return Counter(m["key"] for m in self.messages)

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def by_key(self) -> dict[str, dict]:
        with self.lock:
            return {m["key"]: m for m in self.messages}


class SmtpServer:
    """aiosmtpd on a loopback port that stays the same across stop and start."""

    def __init__(self):
        self.port = free_port()
        self.sink = Sink()
        self.controller: Controller | None = None

    def start(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one INFO line per SMTP command
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Celery:
    """Starts workers and beats with jntp.settings.integration, against one database, broker and
    SMTP server."""

    def __init__(self, tmp: Path, *, database_url: str, broker_url: str, email_port: int):
        self.tmp = tmp
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="jntp.settings.integration",
            DATABASE_URL=database_url,
            CELERY_BROKER_URL=broker_url,
            EMAIL_PORT=str(email_port),
            PYTHONUNBUFFERED="1",
        )
        self.processes: list[Process] = []
        self._count = 0

    def _process(self, kind: str, args: list[str]) -> Process:
        self._count += 1
        name = f"{kind}-{self._count}"
        process = Process(
            name, [sys.executable, "-m", "celery", "-A", "jntp", *args], self.env, self.tmp / f"{name}.log"
        )
        self.processes.append(process)
        return process.start()

    def worker(self, concurrency: int = 2) -> Process:
        return self._process(
            "worker",
            [
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(concurrency),
                "--loglevel",
                "INFO",
                "--hostname",
                f"worker{self._count + 1}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
        )

    def beat(self) -> Process:
        return self._process(
            "beat",
            [
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.tmp / f"beat-schedule-{self._count + 1}"),
                "--max-interval",
                "1",
            ],
        )

    def logs(self) -> str:
        return "\n".join(process.log() for process in self.processes)

    def stop_all(self):
        for process in self.processes:
            process.kill9()
