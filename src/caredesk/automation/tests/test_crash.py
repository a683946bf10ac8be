"""Crash test: real ``caredesk worker`` processes killed (SIGKILL) while deliveries are in
flight lose no delivery, and the receiver, keeping one effect per key, gets each once.

The database is a file (SQLite) or a dedicated PostgreSQL database when ``DATABASE_URL``
names a PostgreSQL server, so that the worker processes and this test share it. The webhook
receiver runs in this process and answers after a short delay (5-20 ms, once the effect is
recorded).

The kills are driven by the receiver's events, not by the clock, so that a busy machine
changes how long the test takes, never what it proves: each worker is killed once the
receiver has recorded a set number of its deliveries (1-5, from a seeded generator). The
receiver holds its answer to that last delivery until the kill:

* every other kill ("held") lands while the worker waits for that answer: the receiver has
  the effect, the row is not marked delivered, so the row must be delivered again (the
  at-least-once path, one duplicate per such kill at the least);
* the others ("released") answer it first and kill at once, so the kill lands somewhere
  between that answer and the worker's next request (recording the delivery, leasing the
  next row); a next request, if the worker gets that far, is held in its turn.

A worker thus delivers at most its number plus one before it dies, which bounds the rows the
kills use up: all ``KILLS`` kills happen before the rows run out, on any machine.
"""

from __future__ import annotations

import random
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from caredesk.automation.tests.receivers import HttpReceiver, worker_database

ROWS = 300
KILLS = 40
MOST_PER_WORKER = 5  # deliveries the receiver records before a worker is killed, at most
# Each worker is killed by its (MOST_PER_WORKER + 1)-th delivery at the latest (see above),
# so the kills never run out of rows.
assert KILLS * (MOST_PER_WORKER + 1) < ROWS
SECRET = "whsec_crash-test"
# Guards against a hang, not measures of speed: minutes on the busiest machine.
GUARD = 600.0

# Run with Django set up on the worker database: a subscription and ROWS pending webhook
# deliveries, due a minute ago by the real clock (the workers read the real clock).
FILL = """
from datetime import UTC, datetime, timedelta
from caredesk.automation.models import Outbox, WebhookSubscription
from caredesk.testing import organisation

url, secret, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
now = datetime.now(UTC)
org = organisation(now, "crash-test")
sub = WebhookSubscription.objects.create(
    organisation=org, url=url, secret=secret, event_types=[], created_at=now)
due = now - timedelta(minutes=1)
Outbox.objects.bulk_create([
    Outbox(key=f"crash:{n:04d}", channel="webhook", event="comment", next_attempt_at=due,
           created_at=due, payload={"url": url, "subscription": sub.id,
                                    "body": {"id": f"evt_{n}", "type": "comment", "n": n}})
    for n in range(count)
])
"""


@dataclass
class Hold:
    """The receiver's answer to its request number ``at`` (0-based) and to every later one,
    held until ``release`` is set; ``reached`` is set when such a request has arrived."""

    at: int
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


class Tripwire:
    """The receiver's ``delay``: 5-20 ms after recording an effect, or the current hold."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.hold: Hold | None = None

    def arm(self, at: int) -> Hold:
        self.hold = Hold(at)
        return self.hold

    def __call__(self, number: int) -> float:
        hold = self.hold
        if hold is not None and number >= hold.at:
            hold.reached.set()
            hold.release.wait(GUARD)  # the effect is recorded; the sender dies meanwhile
            return 0.0
        return self.rng.uniform(0.005, 0.020)


@pytest.mark.e2e
@pytest.mark.slow
def test_killed_workers_lose_no_delivery_and_the_receiver_keeps_each_once(
    tmp_path: Path,
) -> None:
    plan = random.Random(20261123)  # how many deliveries each worker makes before its kill
    tripwire = Tripwire(random.Random(20261124))
    keys = {f"crash:{n:04d}" for n in range(ROWS)}
    log = tmp_path / "workers.log"
    began = time.monotonic()
    started: list[subprocess.Popen[bytes]] = []
    holds: list[Hold] = []

    def wait_for(hold: Hold, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + GUARD
        while not hold.reached.wait(0.01):
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, f"a worker delivered nothing in {GUARD} s"

    with (
        HttpReceiver(secret=SECRET, delay=tripwire) as hooks,
        worker_database(tmp_path, "crash") as db,
    ):
        try:
            db.python(FILL, hooks.url, SECRET, str(ROWS))
            pending = db.scalar("SELECT count(*) FROM automation_outbox WHERE state = 'pending'")
            assert pending == ROWS

            kills = held = 0
            while kills < KILLS and pending:
                hold = tripwire.arm(hooks.count() + plan.randint(1, MOST_PER_WORKER) - 1)
                holds.append(hold)
                proc = db.worker("--poll", "0.05", log=log)
                started.append(proc)
                wait_for(hold, proc)
                if kills % 2 == 0:
                    held += 1  # killed while it waits for the answer
                else:
                    holds.append(tripwire.arm(hooks.count()))  # its next request, if any
                    hold.release.set()
                proc.send_signal(signal.SIGKILL)
                assert proc.wait(timeout=GUARD) == -signal.SIGKILL, log.read_text()[-3000:]
                kills += 1
                tripwire.hold = None
                for each in holds:
                    each.release.set()
                pending = db.scalar(
                    "SELECT count(*) FROM automation_outbox WHERE state = 'pending'"
                )
            pending_after_kills = pending
            delivered_by_killed = hooks.count()

            # A last worker, left alone, finishes the job: wait for it, not for the clock
            # (rows leased by a killed worker come due again when their lease ends).
            proc = db.worker("--poll", "0.05", log=log)
            started.append(proc)
            deadline = time.monotonic() + GUARD
            while db.scalar("SELECT count(*) FROM automation_outbox WHERE state <> 'delivered'"):
                assert proc.poll() is None, log.read_text()[-3000:]
                assert time.monotonic() < deadline, f"the last worker did not finish in {GUARD} s"
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=GUARD) == 0, log.read_text()[-3000:]

            states = dict(db.rows("SELECT state, count(*) FROM automation_outbox GROUP BY state"))
            delivered = {
                row[0]
                for row in db.rows("SELECT key FROM automation_outbox WHERE state = 'delivered'")
            }
        finally:
            tripwire.hold = None
            for each in holds:
                each.release.set()
            for proc in started:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=GUARD)

    accepted = hooks.accepted()
    report = (
        f"{kills} workers killed (SIGKILL; {held} waiting for the answer), "
        f"{delivered_by_killed} requests before the last worker, {pending_after_kills} rows "
        f"left for it; the receiver got {len(hooks.received)} requests, {len(accepted)} "
        f"accepted, {len(hooks.unique)} unique keys, {hooks.duplicates} duplicates "
        f"({time.monotonic() - began:.1f} s, database {db.vendor})"
    )
    print(report)
    assert states == {"delivered": ROWS}, report
    assert delivered == keys, report
    # Every row's key arrived at least once, and one effect was kept per key.
    assert set(hooks.unique) == keys, report
    assert {r.event_id for r in accepted} == keys, report
    assert len(accepted) == ROWS + hooks.duplicates, report
    assert all(r.signature_ok for r in hooks.received), report
    # Every kill happened (each one set off by deliveries, which cannot run out first).
    assert kills == KILLS, report
    assert held == KILLS // 2, report
    # Each worker killed while waiting for an answer left a row the receiver had: that row
    # arrived again.
    assert hooks.duplicates >= held, report
    # The killed workers delivered no more than their share: at most MOST_PER_WORKER + 1 each.
    assert delivered_by_killed <= KILLS * (MOST_PER_WORKER + 1), report
