"""Crash test: real ``caredesk worker`` processes killed (SIGKILL) while deliveries are in
flight lose no delivery, and the receiver, keeping one effect per key, gets each once.

The database is a file (SQLite) or a dedicated PostgreSQL database when ``DATABASE_URL``
names a PostgreSQL server, so that the worker processes and this test share it. The webhook
receiver runs in this process and answers slowly (5-20 ms, after recording the effect), so
most kills land between "the receiver has it" and "the row is marked delivered": those rows
are delivered again, which is the at-least-once path.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from caredesk.automation.tests.receivers import HttpReceiver, worker_database

ROWS = 300
KILLS = 50
MIN_KILLS = 20  # on a machine too busy for 50 within the budget
BUDGET = 45.0  # seconds for the killing, so that the test stays near a minute
SECRET = "whsec_crash-test"

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


@pytest.mark.slow
def test_killed_workers_lose_no_delivery_and_the_receiver_keeps_each_once(
    tmp_path: Path,
) -> None:
    rng = random.Random(20261123)
    keys = {f"crash:{n:04d}" for n in range(ROWS)}
    log = tmp_path / "workers.log"
    began = time.monotonic()
    started: list[subprocess.Popen[bytes]] = []
    with (
        HttpReceiver(secret=SECRET, delay=lambda _: rng.uniform(0.005, 0.020)) as hooks,
        worker_database(tmp_path, "crash") as db,
    ):
        try:
            db.python(FILL, hooks.url, SECRET, str(ROWS))
            pending = db.scalar("SELECT count(*) FROM automation_outbox WHERE state = 'pending'")
            assert pending == ROWS

            kills = 0
            while kills < KILLS and pending and time.monotonic() - began < BUDGET:
                before = hooks.count()
                proc = db.worker("--poll", "0.05", log=log)
                started.append(proc)
                # Wait for this worker's first delivery (its start-up is not the point), then
                # a little more while deliveries go on, then kill it without warning.
                deadline = time.monotonic() + 30
                while hooks.count() == before:
                    assert proc.poll() is None, log.read_text()[-3000:]
                    assert time.monotonic() < deadline, "a worker delivered nothing within 30 s"
                    time.sleep(0.002)
                time.sleep(rng.uniform(0.0, 0.06))
                proc.send_signal(signal.SIGKILL)
                assert proc.wait(timeout=30) == -signal.SIGKILL, log.read_text()[-3000:]
                kills += 1
                pending = db.scalar(
                    "SELECT count(*) FROM automation_outbox WHERE state = 'pending'"
                )
            pending_after_kills = pending

            # A last worker, left alone, finishes the job: wait for it, not for the clock.
            proc = db.worker("--poll", "0.05", log=log)
            started.append(proc)
            deadline = time.monotonic() + 120
            while db.scalar("SELECT count(*) FROM automation_outbox WHERE state <> 'delivered'"):
                assert proc.poll() is None, log.read_text()[-3000:]
                assert time.monotonic() < deadline, "the last worker did not finish in 120 s"
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0, log.read_text()[-3000:]

            states = dict(db.rows("SELECT state, count(*) FROM automation_outbox GROUP BY state"))
            delivered = {
                row[0]
                for row in db.rows("SELECT key FROM automation_outbox WHERE state = 'delivered'")
            }
        finally:
            for proc in started:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=30)

    accepted = hooks.accepted()
    report = (
        f"{kills} workers killed (SIGKILL), {pending_after_kills} rows left for the last "
        f"worker; the receiver got {len(hooks.received)} requests, {len(accepted)} accepted, "
        f"{len(hooks.unique)} unique keys, {hooks.duplicates} duplicates "
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
    # All the kills, unless a slow machine ran out of the time budget first.
    assert kills == KILLS or kills >= MIN_KILLS, report
    # Some kills landed between the receiver's effect and the commit: delivered again.
    assert hooks.duplicates >= 1, report
