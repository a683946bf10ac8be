"""The automation loop: fire due timers and deliver the outbox, each in its own thread.

Nothing is kept in memory between rounds: timers and deliveries are rows, so a restarted
worker carries on where the last one stopped. An idle loop looks again after ``poll``, so a
timer fires about one poll after its instant. The two loops run side by side (each thread
has its own database connection) so that a slow webhook receiver never holds back a timer,
and so that one loop's Python runs while the other waits on the database.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import close_old_connections, connection

from caredesk.automation import outbox, timers

log = logging.getLogger(__name__)


@dataclass
class Round:
    fired: int
    delivered: int
    failed: int


def one_round(now: datetime, *, batch: int = 100) -> Round:
    """Both halves once, one after the other (tests and ``--once``)."""
    fired = timers.sweep(now=now, batch=batch)
    delivered, failed = outbox.dispatch(now=now, batch=batch)
    return Round(fired, delivered, failed)


def _fire(now: datetime, batch: int) -> int:
    fired = timers.sweep(now=now, batch=batch)
    if fired:
        log.info("fired %d timers", fired)
    return fired


def _deliver(now: datetime, batch: int) -> int:
    delivered, failed = outbox.dispatch(now=now, batch=batch)
    if delivered or failed:
        log.info("delivered %d, failed %d", delivered, failed)
    return delivered + failed


class _Loop(threading.Thread):
    """One half of the worker: a step, again at once while busy, after ``poll`` when idle.
    An error stops the whole worker (a supervisor restarts it) instead of leaving it
    half alive."""

    def __init__(
        self,
        name: str,
        step: Callable[[datetime, int], int],
        *,
        clock: Callable[[], datetime],
        poll: float,
        batch: int,
        stop: threading.Event,
    ) -> None:
        super().__init__(name=f"caredesk-{name}", daemon=True)
        self.step, self.clock, self.poll, self.batch, self.stop = step, clock, poll, batch, stop
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                close_old_connections()
                if self.step(self.clock(), self.batch) < self.batch:
                    self.stop.wait(self.poll)
        except BaseException as exc:
            log.exception("%s stopped the worker", self.name)
            self.error = exc
            self.stop.set()
        finally:
            connection.close()  # this thread's own connection


def run(
    *,
    clock: Callable[[], datetime],
    poll: float = 1.0,
    batch: int = 100,
    once: bool = False,
    stop: threading.Event | None = None,
) -> None:
    stop = stop or threading.Event()

    def _stop(signum: int, frame: object) -> None:
        log.info("worker stopping after this round (signal %s)", signum)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    if once:
        done = one_round(clock(), batch=batch)
        log.info(
            "fired %d timers, delivered %d, failed %d", done.fired, done.delivered, done.failed
        )
        return
    loops = [
        _Loop(name, step, clock=clock, poll=poll, batch=batch, stop=stop)
        for name, step in (("timers", _fire), ("outbox", _deliver))
    ]
    for loop in loops:
        loop.start()
    # The main thread only waits (it receives the signals); join with a timeout so that a
    # signal is handled at once.
    while any(loop.is_alive() for loop in loops):
        for loop in loops:
            loop.join(timeout=0.2)
    for loop in loops:
        if loop.error is not None:
            raise loop.error
