"""Shared test setup: the repository root on ``sys.path`` and the Hypothesis profiles.

``tests`` is a package, so ``from tests.reference_calendar import ReferenceCalendar``
needs the repository root importable whatever directory pytest was started from.
Set ``CI`` in the environment to run property tests derandomized (the same examples
on every run). Set ``CAREDESK_PURE_PYTHON`` to take the calendar's C hot path away, so that
only the pure-Python methods run (``make mutation`` mutates those); the core itself reads no
environment.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

settings.register_profile(
    "ci",
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

PURE_PYTHON = "CAREDESK_PURE_PYTHON"


def default_path() -> bool:
    """Put the calendar's path of this run back in front (a test may have switched it):
    the C path where it is built, unless ``CAREDESK_PURE_PYTHON`` is set."""
    from caredesk.core.calendar import use_accelerator

    return use_accelerator(not os.environ.get(PURE_PYTHON))


default_path()
