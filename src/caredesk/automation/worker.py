"""The automation loop: fire due timers, deliver the outbox, sleep a little, again.

Nothing is kept in memory between rounds: timers and deliveries are rows, so a restarted
worker carries on where the last one stopped. With a one-second poll a timer fires within
a few seconds of its instant.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import close_old_connections

from caredesk.automation import outbox, timers

log = logging.getLogger(__name__)


@dataclass
class Round:
    fired: int
    delivered: int
    failed: int


def one_round(now: datetime, *, batch: int = 100) -> Round:
    fired = timers.sweep(now=now, batch=batch)
    delivered, failed = outbox.dispatch(now=now, batch=batch)
    return Round(fired, delivered, failed)


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
    while not stop.is_set():
        close_old_connections()
        done = one_round(clock(), batch=batch)
        if done.fired or done.delivered or done.failed:
            log.info(
                "fired %d timers, delivered %d, failed %d", done.fired, done.delivered, done.failed
            )
        if once:
            return
        # Busy rounds go on at once; an idle worker waits before looking again.
        if done.fired < batch and done.delivered + done.failed < batch:
            stop.wait(poll)
