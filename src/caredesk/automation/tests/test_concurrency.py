"""Workers side by side: two ``caredesk worker`` processes on one PostgreSQL database fire
every due timer exactly once.

The claim is ``SELECT ... FOR UPDATE SKIP LOCKED``: a timer locked by one worker is skipped
by the other, and a timer fired and committed is no longer pending. SQLite has no row
locks (its writers queue for one database lock), so this module runs on PostgreSQL only.

The timers are "credentials overdue" notices for N designated contacts whose credentials
were not issued; each fires one e-mail per Care manager (key ``<timer key>:<manager>``),
delivered by the same workers to a real SMTP server on loopback.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from caredesk.automation import timers
from caredesk.automation.tests.receivers import SmtpReceiver, postgres_url, worker_database
from caredesk.conftest import START

pytestmark = pytest.mark.skipif(
    postgres_url() is None,
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): workers share timers through row "
    "locks (FOR UPDATE SKIP LOCKED), which SQLite does not have",
)

CONTACTS = 400
MANAGERS = 3
BATCH = 10  # timers a worker claims at a time: small, so that the two claim side by side
# A guard against a hang, not a measure of speed: minutes on the busiest machine.
GUARD = 600.0
DUE = "2026-11-20T22:00:00+00:00"

# Run with Django set up on the worker database: Care managers and CONTACTS designated
# contacts who completed the training on 2026-11-18; their credentials were due on DUE and
# are not issued. No timer yet: the test adds them once both workers are polling.
FILL = """
from datetime import datetime
from django.contrib.auth.models import User
from caredesk.accounts import services as accounts
from caredesk.accounts.models import Profile
from caredesk.testing import organisation

contacts, managers, due = int(sys.argv[1]), int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
trained = datetime.fromisoformat("2026-11-18T15:00:00+00:00")
vendor = organisation(trained, "genesys", name="Genesys", kind="vendor",
                      policy="purecloud-support", plan="standard")
for n in range(managers):
    accounts.create_person(actor=None, email=f"manager{n}@care.example", name=f"Manager {n}",
                           organisation=vendor, role="manager", now=trained)
org = organisation(trained, "initech", name="Initech", policy="purecloud-customer-care",
                   plan="standard", country="JP", timezone="Asia/Tokyo")
users = User.objects.bulk_create([
    User(username=f"c{n}@initech.example", email=f"c{n}@initech.example")
    for n in range(contacts)])
Profile.objects.bulk_create([
    Profile(user=user, organisation=org, role="contact", timezone="Asia/Tokyo",
            training_completed_at=trained, credentials_due_at=due)
    for user in users])
"""

# The timers scheduling.schedule_credentials would have written, due a minute ago by the
# real clock (the workers read the real clock), all in one transaction.
TIMERS = """
INSERT INTO automation_timer (key, kind, subject_id, due_at, payload, created_at, attempts,
                              last_error)
SELECT 'credentials-overdue:' || p.id || ':' || %(due)s, 'credentials-overdue', p.id,
       now() - interval '1 minute', jsonb_build_object('due', %(due)s::text), now(), 0, ''
FROM accounts_profile p WHERE p.role = 'contact'
"""


def wait_for_fired(
    workers: list[subprocess.Popen[bytes]], logs: list[Path], which: Iterable[int]
) -> int:
    """Wait until one of the workers ``which`` has fired a batch (its log says so); which."""
    which = list(which)
    deadline = time.monotonic() + GUARD
    while True:
        for n in which:
            if _fired(logs[n]):
                return n
        assert all(w.poll() is None for w in workers), logs[0].read_text()[-3000:]
        assert time.monotonic() < deadline, f"no worker of {which} fired a timer in {GUARD} s"
        time.sleep(0.02)


def _fired(log: Path) -> int:
    """Timers a worker claimed and fired, from its "fired N timers" lines."""
    return sum(int(n) for n in re.findall(r"fired (\d+) timers", log.read_text()))


@pytest.mark.e2e
@pytest.mark.slow
def test_two_workers_fire_each_timer_exactly_once(tmp_path: Path) -> None:
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    workers: list[subprocess.Popen[bytes]] = []
    with SmtpReceiver() as smtp, worker_database(tmp_path, "concurrency") as db:
        try:
            db.python(FILL, str(CONTACTS), str(MANAGERS), DUE)
            env = {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": smtp.host,
                "EMAIL_PORT": str(smtp.port),
                "LOG_LEVEL": "INFO",  # the workers' "fired N timers" lines
            }
            for log in logs:
                # Small batches, so that the two claim side by side many times.
                workers.append(db.worker("--poll", "0.05", "--batch", str(BATCH), log=log, env=env))
            # Both polling (connected) before there is any work.
            deadline = time.monotonic() + GUARD
            while (
                db.scalar(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                < 2
            ):
                assert all(w.poll() is None for w in workers), logs[0].read_text()
                assert time.monotonic() < deadline, f"the workers did not connect in {GUARD} s"
                time.sleep(0.05)
            conn = db.connect()
            gate = db.connect()
            try:
                conn.execute(TIMERS, {"due": DUE})
                # Both take part whatever the scheduler does, by events: this connection
                # locks all timers but one batch, so the first worker to claim fires that
                # batch and then finds nothing; it is stopped (SIGSTOP) and the rest let go
                # until the other has fired a batch too; then both go on side by side.
                gate.execute("BEGIN")
                gate.execute(  # (not OFFSET: PostgreSQL locks the rows it skips too)
                    "SELECT id FROM automation_timer WHERE id NOT IN "
                    "(SELECT id FROM automation_timer ORDER BY due_at, id LIMIT %s) FOR UPDATE",
                    (BATCH,),
                )
                first = wait_for_fired(workers, logs, range(2))
                workers[first].send_signal(signal.SIGSTOP)
                gate.execute("COMMIT")
                wait_for_fired(workers, logs, [1 - first])
                workers[first].send_signal(signal.SIGCONT)
            finally:
                gate.close()
                conn.close()
            keys = {row[0] for row in db.rows("SELECT key FROM automation_timer")}
            keys |= {row[0] for row in db.rows("SELECT key FROM automation_timerlog")}
            assert len(keys) == CONTACTS

            # Wait for the workers to finish (not for the clock): no pending timer or mail.
            began = time.monotonic()
            deadline = began + GUARD
            while db.scalar(
                "SELECT (SELECT count(*) FROM automation_timer)"
                " + (SELECT count(*) FROM automation_outbox WHERE state <> 'delivered')"
            ):
                assert all(w.poll() is None for w in workers), logs[0].read_text()[-3000:]
                assert time.monotonic() < deadline, f"the workers did not finish in {GUARD} s"
                time.sleep(0.05)
            took = time.monotonic() - began
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker, log in zip(workers, logs, strict=True):
                assert worker.wait(timeout=GUARD) == 0, log.read_text()[-3000:]

            fired = db.rows(
                "SELECT key, fired_at IS NOT NULL, attempts, outcome FROM automation_timerlog"
            )
            mails = db.rows("SELECT key, state FROM automation_outbox")
            managers = [
                row[0]
                for row in db.rows(
                    "SELECT user_id FROM accounts_profile WHERE role = 'manager' ORDER BY user_id"
                )
            ]
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait(timeout=GUARD)

    per_worker = [_fired(log) for log in logs]
    report = (
        f"{CONTACTS} timers fired in {took:.1f} s by two workers ({per_worker[0]} + "
        f"{per_worker[1]}); {len(mails)} mails, {len(smtp.received)} received by SMTP"
    )
    print(report)
    # Every timer fired, once (one log entry each), with its effect.
    assert sorted(key for key, *_ in fired) == sorted(keys)
    assert all(done for _, done, _, _ in fired), report
    assert {(attempts, outcome) for _, _, attempts, outcome in fired} == {
        (0, "Care told: credentials overdue")
    }
    # Claims add up to the number of timers: no timer was claimed (fired) twice.
    assert sum(per_worker) == CONTACTS, report
    assert all(n > 0 for n in per_worker), f"one worker did all the work: {report}"
    # One mail per timer and manager, each delivered once.
    expected = {f"{key}:{manager}" for key in keys for manager in managers}
    assert len(managers) == MANAGERS
    assert [key for key, _ in mails if key not in expected] == []
    assert {key for key, _ in mails} == expected
    assert len(mails) == CONTACTS * MANAGERS
    assert {state for _, state in mails} == {"delivered"}
    assert len(smtp.received) == len(smtp.unique) == CONTACTS * MANAGERS, report
    assert smtp.duplicates == 0
    assert {m.message["X-CareDesk-Key"] for m in smtp.received} == expected


@pytest.mark.django_db
def test_the_claim_locks_pending_timers_with_skip_locked() -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        assert timers.claim(START, 100) == []
    (claim,) = [q["sql"] for q in queries.captured_queries if "automation_timer" in q["sql"]]
    assert claim.endswith('FOR UPDATE OF "automation_timer" SKIP LOCKED'), claim
    assert '"automation_timer"."due_at" <=' in claim
    assert 'ORDER BY "automation_timer"."due_at" ASC, "automation_timer"."id" ASC' in claim
    assert "LIMIT 100" in claim
