"""What one API request costs inside the server process, without gunicorn or sockets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caredesk_bench \\
        .venv/bin/python bench/request_cost.py                      # CPU ms per request
    DATABASE_URL=... .venv/bin/python bench/request_cost.py --instructions --only sla,walk

Runs requests through Django's WSGI handler against a database that ``bench/api_bench.py``
left behind (its cases, the demo's people; two API tokens named ``request-cost`` are
issued there). Kinds: ``healthz``, ``case`` (GET /api/cases/{id} as a contact), ``sla``,
``walk`` (Care's list, a page after a random cursor), ``queue-walk`` and ``queue`` (the
queue's first page). CPU time per request moves by 10-30 % from run to run on a shared
virtual machine; ``--instructions`` counts instructions instead (valgrind's callgrind,
deterministic, about 50 times slower): each kind runs twice under callgrind, with 8 and
with 8 + N requests, and the difference divided by N is printed.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

KINDS = ("healthz", "case", "sla", "walk", "queue-walk", "queue")


def requests() -> dict[str, Callable[[], dict[str, Any]]]:
    """A WSGI environ maker per kind."""
    from django.db.models import Count

    from caredesk.accounts.models import Profile
    from caredesk.accounts.services import issue_token
    from caredesk.cases import queries
    from caredesk.cases.models import Case

    now = datetime.now(UTC)
    top = Case.objects.values("organisation_id").annotate(n=Count("id")).order_by("-n")
    if not top:
        raise SystemExit("no cases in DATABASE_URL's database: run bench/api_bench.py first")
    org = top[0]["organisation_id"]
    contact = Profile.objects.filter(
        role="contact", organisation_id=org, training_completed_at__isnull=False
    ).first()
    engineer = Profile.objects.filter(role="engineer").first()
    assert contact is not None
    assert engineer is not None
    as_contact = issue_token(user=contact.user, name="request-cost", now=now)
    as_care = issue_token(user=engineer.user, name="request-cost", now=now)
    ids = list(Case.objects.filter(organisation_id=org).values_list("id", flat=True)[:500])

    def cursors(cases: queries.Unfiltered, pages: int = 20) -> list[str]:
        found: list[str] = []
        page = queries.page(cases, limit=50)
        while page.next is not None and len(found) < pages:
            found.append(page.next)
            page = queries.page(cases, limit=50, after=page.next)
        return found or [""]

    walk = cursors(queries.Unfiltered(None))
    queue_walk = cursors(queries.Unfiltered(None, queue=True))
    rng = random.Random(1)

    def env(path: str, token: str) -> dict[str, Any]:
        route, _, query = path.partition("?")
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }

    return {
        "healthz": lambda: env("/healthz", as_contact),
        "case": lambda: env(f"/api/cases/{rng.choice(ids)}", as_contact),
        "sla": lambda: env(f"/api/cases/{rng.choice(ids)}/sla", as_contact),
        "walk": lambda: env(f"/api/cases?limit=50&after={rng.choice(walk)}", as_care),
        "queue-walk": lambda: env(f"/api/queue?limit=50&after={rng.choice(queue_walk)}", as_care),
        "queue": lambda: env("/api/queue?limit=50", as_care),
    }


def run(app: Any, make: Callable[[], dict[str, Any]], n: int) -> None:
    statuses: list[str] = []
    for _ in range(n):
        body = app(make(), lambda status, headers: statuses.append(status))
        b"".join(body)
        body.close()
    if not all(s.startswith("200") for s in statuses):
        raise SystemExit(f"a request failed: {statuses[:3]}")


def in_process(kinds: list[str], n: int, *, timed: bool = True) -> None:
    """``n`` requests of each kind after a warm-up; ``timed``: in eight batches, printing
    the CPU time per request of the least and the median batch."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.site.settings")
    os.environ.setdefault("CAREDESK_ENV", "development")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    made = requests()
    for kind in kinds:
        run(app, made[kind], 8)  # warm: policies loaded, calendars built, statements prepared
        if not timed:
            run(app, made[kind], n)
        elif n:
            batch = max(1, n // 8)
            costs = []
            for _ in range(8):
                began = time.process_time()
                run(app, made[kind], batch)
                costs.append((time.process_time() - began) / batch * 1000)
            costs.sort()
            print(f"{kind:<11} CPU ms per request: least {costs[0]:.3f}, median {costs[4]:.3f}")


def instructions(kinds: list[str], n: int) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install -y valgrind)")

    def collected(kind: str, extra: int) -> int:
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [
                    "valgrind",
                    "--tool=callgrind",
                    f"--callgrind-out-file={tmp}/out",
                    sys.executable,
                    __file__,
                    "--only",
                    kind,
                    "-n",
                    str(extra),
                    "--quiet",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
        found = re.search(r"Collected : (\d+)", out.stderr)
        if found is None:
            raise SystemExit(f"callgrind printed no total:\n{out.stderr[-2000:]}")
        return int(found.group(1))

    for kind in kinds:
        per = (collected(kind, n) - collected(kind, 0)) / n
        print(f"{kind:<11} {per / 1e6:.2f} M instructions per request (callgrind, {n} requests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(KINDS), help=f"kinds, of: {', '.join(KINDS)}")
    parser.add_argument("-n", type=int, default=1600, help="requests per kind (1,600; 80)")
    parser.add_argument("--instructions", action="store_true", help="count instructions")
    parser.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    kinds = args.only.split(",")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise SystemExit(f"unknown kind {unknown[0]!r}; expected one of: {', '.join(KINDS)}")
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL to the database bench/api_bench.py left behind")
    if args.instructions:
        instructions(kinds, args.n if args.n != 1600 else 80)
    elif args.quiet:  # one of --instructions' runs under callgrind
        in_process(kinds, args.n, timed=False)
    else:
        in_process(kinds, args.n)


if __name__ == "__main__":
    main()
