"""Business-time benchmark: caredesk ``BusinessCalendar`` against its peers.

One run, one fixed-seed corpus, the same calendar everywhere: Mon-Fri 08:00-17:00
America/New_York with the US public holidays of the ``holidays`` package. Every
implementation is timed on the same aware datetimes and checked against the brute-force
reference ``tests.reference_calendar.ReferenceCalendar``.

    .venv/bin/python bench/calendar_bench.py            # full run (a few minutes)
    .venv/bin/python bench/calendar_bench.py --quick    # smoke run, smaller corpus
    .venv/bin/python bench/calendar_bench.py --json bench/results/run.json

See bench/README.md for what is measured and what the goals are.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import metadata
from itertools import repeat
from pathlib import Path
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import businesstimedelta as btd
import holidays as holidays_lib
import numpy as np
import pandas as pd
import pytz
from workclock import Holidays, Schedule, WorkDay

from caredesk.core.calendar import BusinessCalendar, use_accelerator

ROOT = Path(__file__).resolve().parent.parent
ZONE_NAME = "America/New_York"
NY = ZoneInfo(ZONE_NAME)
HOURS = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-17:00")
OPEN, CLOSE = time(8), time(17)
SEED = 20_240_601
MINUTE = timedelta(minutes=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US_PER_MIN = 60_000_000

CORPUS_YEARS = range(2024, 2029)  # start instants are drawn from these years
# Holidays handed to the peers: the corpus years, the year before, and two after (a
# 30-business-day deadline or a 60-day `between` pair from late 2028 ends in 2029).
HOLIDAY_YEARS = range(CORPUS_YEARS.start - 1, CORPUS_YEARS.stop + 2)
# The reference's minute mask covers every instant a query can touch.
ORACLE_FROM = datetime(2023, 12, 20, tzinfo=UTC)
ORACLE_TO = datetime(2029, 7, 1, tzinfo=UTC)

DURATION_CLASSES: dict[str, timedelta] = {
    "10m": timedelta(minutes=10),
    "1h": timedelta(hours=1),
    "6h": timedelta(hours=6),
    "1BD": timedelta(hours=9),
    "5BD": timedelta(hours=45),
    "30BD": timedelta(hours=270),
}
START_KINDS: dict[str, float] = {  # kind -> weight in the corpus
    "business": 0.30,
    "night": 0.20,
    "weekend": 0.15,
    "edge": 0.15,
    "holiday": 0.10,
    "dst": 0.10,
}
BETWEEN_MAX_OFFSET_MIN = 60 * 24 * 60  # pairs end up to 60 calendar days later

GOAL_VS_PANDAS = 50.0
GOAL_VS_WORKCLOCK = 5.0
GOAL_CLASS_SPREAD = 1.5


@dataclass(frozen=True)
class Mode:
    starts: int
    array_size: int
    reps_fast: int
    reps_slow: int
    btd_calls: int
    literal_add: int
    literal_between: int


FULL = Mode(20_000, 1_000_000, 5, 3, 1_000, 1_000, 1_000)
QUICK = Mode(2_000, 100_000, 3, 1, 100, 50, 50)


# -- corpus ------------------------------------------------------------------------------


@dataclass
class Corpus:
    kinds: list[str]  # start kind of each item
    classes: list[str]  # duration class of each item
    starts: list[datetime]  # aware, America/New_York, whole minutes
    durations: list[timedelta]
    ends: list[datetime]  # `between` partner of each start, aware, America/New_York


def _local(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=NY)


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def build_corpus(size: int, holiday_dates: frozenset[date], seed: int) -> Corpus:
    rng = random.Random(seed)
    first, last = date(CORPUS_YEARS.start, 1, 1), date(CORPUS_YEARS.stop - 1, 12, 31)
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    business = [d for d in days if d.weekday() < 5 and d not in holiday_dates]
    weekend = [d for d in days if d.weekday() >= 5]
    holiday = [d for d in days if d in holiday_dates]
    # DST weekends: second Sunday of March (spring forward), first of November (fall back).
    sundays = [_nth_sunday(y, m, n) for y in CORPUS_YEARS for m, n in ((3, 2), (11, 1))]
    night_minutes = [*range(0, 8 * 60), *range(17 * 60 + 1, 24 * 60)]

    def draw(kind: str) -> datetime:
        if kind == "business":
            return _local(rng.choice(business), rng.randrange(8 * 60 + 1, 17 * 60))
        if kind == "night":
            return _local(rng.choice(business), rng.choice(night_minutes))
        if kind == "weekend":
            return _local(rng.choice(weekend), rng.randrange(24 * 60))
        if kind == "edge":
            return _local(rng.choice(business), rng.choice((8 * 60, 17 * 60)))
        if kind == "holiday":
            if rng.random() < 0.5:
                return _local(rng.choice(holiday), rng.randrange(8 * 60, 17 * 60))
            return _local(rng.choice(holiday), rng.randrange(24 * 60))
        # "dst": a UTC minute from Friday noon to Monday noon around a transition, half of
        # them in Sunday 00:00-04:00 local (the skipped and the repeated hour).
        sunday = rng.choice(sundays)
        if rng.random() < 0.5:
            lo = _local(sunday, 0).astimezone(UTC)
            hi = _local(sunday, 4 * 60).astimezone(UTC)
        else:
            lo = _local(sunday - timedelta(days=2), 12 * 60).astimezone(UTC)
            hi = _local(sunday + timedelta(days=1), 12 * 60).astimezone(UTC)
        span = int((hi - lo) / MINUTE)
        return (lo + rng.randrange(span) * MINUTE).astimezone(NY)

    kind_names, weights = list(START_KINDS), list(START_KINDS.values())
    class_names = list(DURATION_CLASSES)
    corpus = Corpus([], [], [], [], [])
    for _ in range(size):
        kind = rng.choices(kind_names, weights)[0]
        start = draw(kind)
        cls = rng.choice(class_names)
        offset = rng.randrange(BETWEEN_MAX_OFFSET_MIN + 1) * MINUTE
        corpus.kinds.append(kind)
        corpus.classes.append(cls)
        corpus.starts.append(start)
        corpus.durations.append(DURATION_CLASSES[cls])
        # Elapsed (UTC) time, not wall-clock arithmetic on the aware datetime.
        corpus.ends.append((start.astimezone(UTC) + offset).astimezone(NY))
    return corpus


def epoch_minutes(values: Sequence[datetime]) -> np.ndarray:
    return np.array([(v - EPOCH) // MINUTE for v in values], dtype=np.int64)


# -- the reference -------------------------------------------------------------------


class Oracle:
    """``ReferenceCalendar`` answers for every query, from its own ``is_open``.

    The reference steps minute by minute per query (up to ~0.1 s for 30 BD), so the
    bench asks its ``is_open`` once per UTC minute of the corpus range, keeps the running
    count of open minutes, and answers ``add``/``between`` from that count: the same
    minute-stepping definition, with a prefix sum. ``validate`` checks this against
    ``ReferenceCalendar.add``/``between`` themselves on a fixed-seed sample.
    """

    def __init__(self, reference: Any) -> None:
        self.reference = reference
        self.m0 = (ORACLE_FROM - EPOCH) // MINUTE
        n = (ORACLE_TO - ORACLE_FROM) // MINUTE
        is_open = reference.is_open
        t = ORACLE_FROM
        mask = np.empty(n, dtype=np.bool_)
        for k in range(n):
            mask[k] = is_open(t)
            t += MINUTE
        self.mask = mask
        self.cum = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))

    def _k(self, minutes: np.ndarray) -> np.ndarray:
        k = minutes - self.m0
        if k.size and (k.min() < 0 or k.max() >= len(self.mask)):
            raise RuntimeError("a query falls outside the oracle's range; widen ORACLE_*")
        return k

    def add(self, start_min: np.ndarray, dur_min: np.ndarray) -> np.ndarray:
        """Epoch minutes of the earliest ``u >= start`` with ``dur`` open minutes."""
        target = self.cum[self._k(start_min)] + dur_min
        if target.size and target.max() > self.cum[-1]:
            raise RuntimeError("a deadline falls outside the oracle's range; widen ORACLE_*")
        u = np.searchsorted(self.cum, target, side="left") + self.m0
        return np.where(dur_min == 0, start_min, u)

    def between(self, a_min: np.ndarray, b_min: np.ndarray) -> np.ndarray:
        return self.cum[self._k(b_min)] - self.cum[self._k(a_min)]

    def next_opening(self, minute: int) -> int:
        k = int(self._k(np.array([minute]))[0])
        return minute + int(np.argmax(self.mask[k : k + 30 * 1440]))

    def validate(self, corpus: Corpus, add_idx: list[int], between_idx: list[int]) -> int:
        """How many sampled pairs differ from the literal minute-stepping reference."""
        ref = self.reference
        s = epoch_minutes(corpus.starts)
        e = epoch_minutes(corpus.ends)
        d = np.array([x // MINUTE for x in corpus.durations], dtype=np.int64)
        fast_add = self.add(s, d)
        fast_between = self.between(s, e)
        bad = 0
        for i in add_idx:
            got = (ref.add(corpus.starts[i], corpus.durations[i]) - EPOCH) // MINUTE
            bad += got != fast_add[i]
        for i in between_idx:
            got = ref.between(corpus.starts[i], corpus.ends[i]) // MINUTE
            bad += got != fast_between[i]
        return bad


# -- peers -----------------------------------------------------------------------------


def pandas_add(holiday_dates: Sequence[date]) -> Callable[[datetime, timedelta], datetime]:
    """``add`` with ``pd.offsets.CustomBusinessHour``, on naive New York wall time.

    ``CustomBusinessHour(n=...)`` takes whole hours only (``n`` must be an integer), so
    the whole hours go through the offset (built once per hour count and reused, the
    fastest way to use it) and the remaining minutes through ``rollforward`` plus a
    ``Timedelta``, carried to the next opening past 17:00. pandas rolls a deadline that
    lands exactly on 17:00 to the next 08:00; the checks accept that as equal.
    """
    kw: dict[str, Any] = {"start": "08:00", "end": "17:00", "holidays": list(holiday_dates)}
    rollforward = pd.offsets.CustomBusinessHour(**kw).rollforward
    by_hours: dict[int, Any] = {}
    close_at = pd.Timedelta(hours=17)
    one_minute = pd.Timedelta(minutes=1)
    timestamp = pd.Timestamp

    def add(start: datetime, duration: timedelta) -> datetime:
        ts = timestamp(start.replace(tzinfo=None))  # in: naive New York wall time
        hours, minutes = divmod(duration // MINUTE, 60)
        if hours:
            offset = by_hours.get(hours)
            if offset is None:
                offset = by_hours[hours] = pd.offsets.CustomBusinessHour(n=hours, **kw)
            ts = ts + offset
        if minutes:
            ts = rollforward(ts)
            close = ts.normalize() + close_at
            ts = ts + pd.Timedelta(minutes=minutes)
            if ts > close:
                ts = rollforward(close + one_minute) + (ts - close)
        # out: aware again (a result is 08:00-17:00 local, never in a DST gap or fold)
        return ts.to_pydatetime().replace(tzinfo=NY)

    return add


def btd_rules(holiday_dates: frozenset[date]) -> Any:
    tz = pytz.timezone(ZONE_NAME)
    workday = btd.WorkDayRule(start_time=OPEN, end_time=CLOSE, working_days=[0, 1, 2, 3, 4], tz=tz)
    return btd.Rules([workday, btd.HolidayRule(holiday_dates, tz=tz)])


# -- timing and checks --------------------------------------------------------------------


def best_of(fn: Callable[[], Any], reps: int) -> tuple[float, Any]:
    """Best wall time of ``reps`` runs (garbage collector off while timing) and a result."""
    best, out = float("inf"), None
    for _ in range(reps):
        out = None
        gc.collect()
        gc.disable()
        try:
            t0 = perf_counter()
            out = fn()
            elapsed = perf_counter() - t0
        finally:
            gc.enable()
        best = min(best, elapsed)
    return best, out


@dataclass
class Row:
    impl: str
    op: str
    calls: int
    seconds: float
    reps: int
    checked: int = 0
    agree: int = 0
    rolled: int = 0  # pandas: agreements only modulo the 17:00 roll
    note: str = ""

    @property
    def us_per_call(self) -> float:
        return self.seconds / self.calls * 1e6

    @property
    def per_second(self) -> float:
        return self.calls / self.seconds


@dataclass
class Mismatch:
    index: int  # into the corpus
    got: str
    want: str
    start: str = ""  # when the start is not the corpus's (jittered array copies)


def _minutes_of(value: datetime) -> float:
    return (value - EPOCH) / MINUTE


def _fmt_local(epoch_min: float) -> str:
    t = EPOCH + timedelta(minutes=epoch_min)
    return t.astimezone(NY).strftime("%a %Y-%m-%d %H:%M %Z")


def check_add(
    results: Sequence[datetime],
    want: np.ndarray,
    indices: Sequence[int],
    oracle: Oracle | None = None,
) -> tuple[int, int, list[Mismatch]]:
    """(agreeing, agreeing only via pandas' 17:00 roll, mismatches) of ``add`` results."""
    agree = rolled = 0
    bad: list[Mismatch] = []
    for r, i in zip(results, indices, strict=True):
        got, ref = _minutes_of(r), int(want[i])
        if got == ref:
            agree += 1
            continue
        local = EPOCH + timedelta(minutes=ref)
        if (
            oracle is not None
            and local.astimezone(NY).time() == CLOSE
            and got == oracle.next_opening(ref)
        ):
            agree += 1
            rolled += 1
            continue
        bad.append(Mismatch(i, _fmt_local(got), _fmt_local(ref)))
    return agree, rolled, bad


def check_between(
    results: Sequence[timedelta], want: np.ndarray, indices: Sequence[int]
) -> tuple[int, list[Mismatch]]:
    agree = 0
    bad: list[Mismatch] = []
    for r, i in zip(results, indices, strict=True):
        got, ref = r / MINUTE, int(want[i])
        if got == ref:
            agree += 1
        else:
            bad.append(Mismatch(i, f"{got / 60:.2f} h", f"{ref / 60:.2f} h"))
    return agree, bad


# -- report -------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """Fixed-width columns; ``align`` has one ``l`` or ``r`` per column (default: l, then r)."""
    align = align or "l" + "r" * (len(headers) - 1)
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            c.ljust(w) if a == "l" else c.rjust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        )
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _rate(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.2f} M/s"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k/s"
    return f"{x:.0f} /s"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages = ("caredesk", "numpy", "pandas", "businesstimedelta", "workclock", "holidays", "pytz")
    versions = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
        # the optional C hot path (setup.py builds it; --pure-python leaves it out)
        "caredesk_path": "C accelerator"
        if BusinessCalendar.add is not _py_add()
        else "pure-Python",
    }


# -- the run ------------------------------------------------------------------------------


def run(mode: Mode, quick: bool, seed: int) -> dict[str, Any]:
    began = perf_counter()
    sys.path.insert(0, str(ROOT))  # `tests` is not installed; the reference lives there
    reference_calendar = importlib.import_module("tests.reference_calendar")

    info = machine()
    print("Business-time benchmark: caredesk vs pandas, businesstimedelta, workclock")
    print(
        f"machine : {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
        f"load avg {', '.join(f'{x:.2f}' for x in info['load_avg'] or ())}"
    )
    print(f"python  : {info['implementation']} {info['python']} on {info['platform']}")
    print("packages: " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()))
    print(f"caredesk: {info['caredesk_path']} path of add/between")

    # -- calendars ------------------------------------------------------------------
    hol = holidays_lib.country_holidays("US", years=HOLIDAY_YEARS)
    holiday_dates = frozenset(hol)
    holiday_list = sorted(holiday_dates)
    cal = BusinessCalendar(ZONE_NAME, HOURS, country="US")
    ref = reference_calendar.ReferenceCalendar(ZONE_NAME, HOURS, country="US")
    first_day, last_day = date(HOLIDAY_YEARS.start, 1, 1), date(HOLIDAY_YEARS.stop - 1, 12, 31)
    same = all(
        (cal.holiday(d) is not None) == (d in holiday_dates)
        for d in (first_day + timedelta(days=k) for k in range((last_day - first_day).days + 1))
    )
    if not same:
        raise SystemExit("caredesk's US holidays differ from holidays.country_holidays('US')")
    schedule = Schedule([WorkDay(OPEN, CLOSE), Holidays(holiday_list)], time_zone=NY)
    rules = btd_rules(holiday_dates)
    pd_add = pandas_add(holiday_list)
    print(
        f"calendar: Mon-Fri 08:00-17:00 {ZONE_NAME}, US public holidays "
        f"{HOLIDAY_YEARS.start}-{HOLIDAY_YEARS.stop - 1} ({len(holiday_list)} dates, "
        "identical in every implementation)"
    )

    # -- corpus ---------------------------------------------------------------------
    corpus = build_corpus(mode.starts, holiday_dates, seed)
    n = len(corpus.starts)
    kinds = Counter(corpus.kinds)
    classes = Counter(corpus.classes)
    print(
        f"corpus  : {n:,} start instants (seed {seed}), years "
        f"{CORPUS_YEARS.start}-{CORPUS_YEARS.stop - 1}, whole minutes, aware America/New_York"
    )
    print("          starts: " + ", ".join(f"{k} {kinds[k]}" for k in START_KINDS))
    print("          add durations: " + ", ".join(f"{c} {classes[c]}" for c in DURATION_CLASSES))
    print("          between: (start, start + 0..60 calendar days), same starts")

    s_min = epoch_minutes(corpus.starts)
    e_min = epoch_minutes(corpus.ends)
    d_min = np.array([d // MINUTE for d in corpus.durations], dtype=np.int64)

    # -- reference ------------------------------------------------------------------
    t0 = perf_counter()
    oracle = Oracle(ref)
    want_add = oracle.add(s_min, d_min)
    want_between = oracle.between(s_min, e_min)
    t_mask = perf_counter() - t0
    vrng = random.Random(seed + 1)
    add_sample = sorted(vrng.sample(range(n), min(mode.literal_add, n)))
    between_sample = sorted(vrng.sample(range(n), min(mode.literal_between, n)))
    t0 = perf_counter()
    oracle_bad = oracle.validate(corpus, add_sample, between_sample)
    t_literal = perf_counter() - t0
    literal = len(add_sample) + len(between_sample)
    print(
        f"reference: ReferenceCalendar.is_open on every UTC minute "
        f"{ORACLE_FROM:%Y-%m-%d}..{ORACLE_TO:%Y-%m-%d} ({len(oracle.mask):,} minutes, "
        f"{t_mask:.1f} s) -> prefix-sum answers for every query;"
    )
    print(
        f"           equal to ReferenceCalendar.add/between (literal minute stepping) on "
        f"{literal - oracle_bad:,}/{literal:,} fixed-seed pairs "
        f"({len(add_sample)} add + {len(between_sample)} between, {t_literal:.1f} s)"
    )
    if oracle_bad:
        print("           WARNING: the prefix-sum reference disagrees with the literal one")

    rows: list[Row] = []
    examples: dict[str, list[Mismatch]] = {}
    everything = list(range(n))
    starts, durations, ends = corpus.starts, corpus.durations, corpus.ends
    # The same instants as aware UTC datetimes: how CareDesk stores and passes them.
    starts_utc = [s.astimezone(UTC) for s in starts]
    ends_utc = [e.astimezone(UTC) for e in ends]

    def timed_add(
        impl: str,
        fn: Callable[[datetime, timedelta], datetime],
        idx: list[int],
        reps: int,
        with_roll: bool = False,
        note: str = "",
        utc_in: bool = False,
    ) -> Row:
        a = [(starts_utc if utc_in else starts)[i] for i in idx]
        d = [durations[i] for i in idx]
        list(map(fn, a[:200], d[:200]))  # warm-up (and pandas' offsets get built)
        seconds, out = best_of(lambda: list(map(fn, a, d)), reps)
        agree, rolled, bad = check_add(out, want_add, idx, oracle if with_roll else None)
        op = "add [UTC in]" if utc_in else "add"
        row = Row(impl, op, len(idx), seconds, reps, len(idx), agree, rolled, note)
        rows.append(row)
        examples[f"{impl} add"] = bad
        return row

    def timed_between(
        impl: str,
        fn: Callable[[datetime, datetime], timedelta],
        idx: list[int],
        reps: int,
        note: str = "",
        utc_in: bool = False,
    ) -> Row:
        a = [(starts_utc if utc_in else starts)[i] for i in idx]
        b = [(ends_utc if utc_in else ends)[i] for i in idx]
        list(map(fn, a[:200], b[:200]))
        seconds, out = best_of(lambda: list(map(fn, a, b)), reps)
        agree, bad = check_between(out, want_between, idx)
        op = "between [UTC in]" if utc_in else "between"
        row = Row(impl, op, len(idx), seconds, reps, len(idx), agree, 0, note)
        rows.append(row)
        examples[f"{impl} between"] = bad
        return row

    # -- caredesk ------------------------------------------------------------------
    list(map(cal.add, starts, durations))  # one pass builds the lazy index
    list(map(cal.between, starts, ends))
    cd_add = timed_add("caredesk", cal.add, everything, mode.reps_fast)
    cd_between = timed_between("caredesk", cal.between, everything, mode.reps_fast)
    cd_add_utc = timed_add("caredesk", cal.add, everything, mode.reps_fast, utc_in=True)
    cd_between_utc = timed_between("caredesk", cal.between, everything, mode.reps_fast, utc_in=True)
    # caredesk has no bulk call: its rows for the peers' add_many are ``cal.add`` in a loop.
    seconds, out = best_of(lambda: list(map(cal.add, starts, durations)), mode.reps_fast)
    agree, _, bad = check_add(out, want_add, everything)
    cd_many_list = Row(
        "caredesk", "add_many list", n, seconds, mode.reps_fast, n, agree, 0, "cal.add in a loop"
    )
    rows.append(cd_many_list)
    examples["caredesk add_many list"] = bad

    # Arrays: the corpus repeated to `array_size`, copies after the first jittered by up
    # to +-30 whole minutes; UTC epoch datetime64[us] and timedelta64[us].
    reps_n = -(-mode.array_size // n)
    arng = np.random.default_rng(seed)
    jitter = arng.integers(-30, 31, size=reps_n * n).astype(np.int64)
    jitter[:n] = 0
    arr_min = (np.tile(s_min, reps_n) + jitter)[: mode.array_size]
    arr_dur_min = np.tile(d_min, reps_n)[: mode.array_size]
    arr_starts = (arr_min * US_PER_MIN).astype("datetime64[us]")
    arr_durs = (arr_dur_min * US_PER_MIN).astype("timedelta64[us]")
    want_arr = oracle.add(arr_min, arr_dur_min)

    def array_row(impl: str, fn: Callable[[Any, Any], Any], reps: int, note: str = "") -> Row:
        fn(arr_starts[:1000], arr_durs[:1000])
        seconds, out = best_of(lambda: fn(arr_starts, arr_durs), reps)
        got = out.astype("datetime64[us]").astype(np.int64)
        ok = got == want_arr * US_PER_MIN
        size = len(arr_min)
        row = Row(impl, "add_many array", size, seconds, reps, size, int(ok.sum()), 0, note)
        rows.append(row)
        examples[f"{impl} add_many array"] = [
            Mismatch(
                int(i) % n,
                _fmt_local(got[i] / US_PER_MIN),
                _fmt_local(want_arr[i]),
                _fmt_local(arr_min[i]),
            )
            for i in np.flatnonzero(~ok)
        ]
        return row

    def add_array(starts64: Any, durations64: Any) -> Any:
        """``cal.add`` over arrays, the conversions to and from datetimes included."""
        out = [
            cal.add(s.replace(tzinfo=UTC), d).replace(tzinfo=None)
            for s, d in zip(starts64.astype(object), durations64.astype(object), strict=True)
        ]
        return np.array(out, dtype="datetime64[us]")

    array_row("caredesk", add_array, mode.reps_slow, "cal.add in a loop, converted")

    # Per duration class: every start of the corpus with that one duration.
    class_rows: list[tuple[str, float]] = []
    for cls, dur in DURATION_CLASSES.items():
        seconds, _ = best_of(
            lambda dur=dur: list(map(cal.add, starts, repeat(dur))), mode.reps_fast
        )
        class_rows.append((cls, seconds / n * 1e6))

    # -- workclock ------------------------------------------------------------------
    wc_add = timed_add("workclock", schedule.add, everything, mode.reps_fast)
    wc_between = timed_between("workclock", schedule.between, everything, mode.reps_fast)
    wc_add_utc = timed_add("workclock", schedule.add, everything, mode.reps_fast, utc_in=True)
    wc_between_utc = timed_between(
        "workclock", schedule.between, everything, mode.reps_fast, utc_in=True
    )
    seconds, out = best_of(lambda: schedule.add_many(starts, durations), mode.reps_fast)
    agree, _, bad = check_add(out, want_add, everything)
    rows.append(Row("workclock", "add_many list", n, seconds, mode.reps_fast, n, agree))
    examples["workclock add_many list"] = bad
    array_row("workclock", schedule.add_many, mode.reps_slow)

    # -- pandas -------------------------------------------------------------------------
    pd_row = timed_add(
        "pandas",
        pd_add,
        everything,
        mode.reps_slow,
        with_roll=True,
        note="CustomBusinessHour; 17:00 roll accepted",
    )
    pd_row_utc = timed_add(
        "pandas",
        lambda start, duration: pd_add(start.astimezone(NY), duration),
        everything,
        mode.reps_slow,
        with_roll=True,
        note="converted to New York wall time first",
        utc_in=True,
    )

    # -- businesstimedelta (pure Python, slow): a fixed-seed subset ----------------------
    subset = sorted(random.Random(seed + 2).sample(range(n), min(mode.btd_calls, n)))

    def btd_add(start: datetime, duration: timedelta) -> datetime:
        return start + btd.BusinessTimeDelta(rules, timedelta=duration)

    def btd_between(a: datetime, b: datetime) -> timedelta:
        return rules.difference(a, b).timedelta

    timed_add("businesstimedelta", btd_add, subset, 1, note=f"subset of {len(subset):,}")
    timed_between("businesstimedelta", btd_between, subset, 1, note=f"subset of {len(subset):,}")

    # -- report -------------------------------------------------------------------------
    print()
    print("Throughput (best of N timed passes over the corpus; per call = datetimes in and out,")
    print("conversions each implementation needs included)")
    op_order = [
        "add",
        "add [UTC in]",
        "between",
        "between [UTC in]",
        "add_many list",
        "add_many array",
    ]
    impl_order = ["caredesk", "workclock", "pandas", "businesstimedelta"]
    rows.sort(key=lambda r: (op_order.index(r.op), impl_order.index(r.impl)))
    body = []
    for r in rows:
        if r.op == "add_many list" and body and body[-1][1] == "between":
            skipped = "skipped: pandas has no business-time difference API"
            body.append(["pandas", "between", *("-" * 6), skipped])
        pct = 100.0 * r.agree / r.checked if r.checked else float("nan")
        agree = f"{pct:.2f}%" + (f" ({r.rolled:,} via roll)" if r.rolled else "")
        body.append(
            [
                r.impl,
                r.op,
                f"{r.calls:,}",
                str(r.reps),
                f"{r.seconds * 1e3:,.1f}",
                f"{r.us_per_call:,.3f}",
                _rate(r.per_second),
                agree,
                r.note,
            ]
        )
    print(
        table(
            [
                "implementation",
                "op",
                "calls",
                "N",
                "best ms",
                "us/call",
                "rate",
                "agrees w/ ref",
                "note",
            ],
            body,
            "llrrrrrll",
        )
    )

    print()
    print("caredesk add per duration class (all corpus starts, one duration)")
    base = class_rows[0][1]
    print(
        table(
            ["class", "us/call", "rate", "vs 10m"],
            [[c, f"{us:.3f}", _rate(1e6 / us), f"{us / base:.2f}x"] for c, us in class_rows],
        )
    )

    shown = False
    for key, bad in examples.items():
        if not bad:
            continue
        if not shown:
            print()
            print("Disagreements with the reference (up to 3 per implementation/op)")
            shown = True
        by_kind = Counter(corpus.kinds[m.index] for m in bad).most_common()
        print(
            f"  {key}: {len(bad):,} mismatches; by start kind "
            + ", ".join(f"{k} {v}" for k, v in by_kind)
        )
        for m in bad[:3]:
            i = m.index
            start = m.start or starts[i].strftime("%a %Y-%m-%d %H:%M %Z")
            what = (
                f"+ {corpus.classes[i]}"
                if "between" not in key
                else f"to {ends[i].strftime('%a %Y-%m-%d %H:%M %Z')}"
            )
            print(f"    start {start} {what} [{corpus.kinds[i]}]: got {m.got}, reference {m.want}")

    ratio_pd_add = pd_row.us_per_call / cd_add.us_per_call
    ratio_wc_add = wc_add.us_per_call / cd_add.us_per_call
    ratio_wc_between = wc_between.us_per_call / cd_between.us_per_call
    ratio_pd_add_utc = pd_row_utc.us_per_call / cd_add_utc.us_per_call
    ratio_wc_add_utc = wc_add_utc.us_per_call / cd_add_utc.us_per_call
    ratio_wc_between_utc = wc_between_utc.us_per_call / cd_between_utc.us_per_call
    spread = class_rows[-1][1] / base
    print()
    print("Speed-up of caredesk (per call; higher is better), by the form of the datetimes in")
    print(
        table(
            ["op", "inputs", "vs pandas", "vs workclock"],
            [
                ["add", "New York local", f"{ratio_pd_add:.1f}x", f"{ratio_wc_add:.2f}x"],
                ["add", "UTC", f"{ratio_pd_add_utc:.1f}x", f"{ratio_wc_add_utc:.2f}x"],
                ["between", "New York local", "n/a", f"{ratio_wc_between:.2f}x"],
                ["between", "UTC", "n/a", f"{ratio_wc_between_utc:.2f}x"],
            ],
        )
    )

    all_rows_ok = all(r.agree == r.checked for r in rows if r.impl == "caredesk")
    goals = [
        (
            f"caredesk add >= {GOAL_VS_PANDAS:.0f}x pandas (local in)",
            ratio_pd_add >= GOAL_VS_PANDAS,
            f"{ratio_pd_add:.1f}x",
        ),
        (
            f"caredesk add >= {GOAL_VS_PANDAS:.0f}x pandas (UTC in)",
            ratio_pd_add_utc >= GOAL_VS_PANDAS,
            f"{ratio_pd_add_utc:.1f}x",
        ),
        ("caredesk between >= 50x pandas", None, "pandas has no between"),
        (
            f"caredesk add >= {GOAL_VS_WORKCLOCK:.0f}x workclock (local in)",
            ratio_wc_add >= GOAL_VS_WORKCLOCK,
            f"{ratio_wc_add:.2f}x",
        ),
        (
            f"caredesk add >= {GOAL_VS_WORKCLOCK:.0f}x workclock (UTC in)",
            ratio_wc_add_utc >= GOAL_VS_WORKCLOCK,
            f"{ratio_wc_add_utc:.2f}x",
        ),
        (
            f"caredesk between >= {GOAL_VS_WORKCLOCK:.0f}x workclock (local in)",
            ratio_wc_between >= GOAL_VS_WORKCLOCK,
            f"{ratio_wc_between:.2f}x",
        ),
        (
            f"caredesk between >= {GOAL_VS_WORKCLOCK:.0f}x workclock (UTC in)",
            ratio_wc_between_utc >= GOAL_VS_WORKCLOCK,
            f"{ratio_wc_between_utc:.2f}x",
        ),
        (
            f"caredesk add 30BD within {GOAL_CLASS_SPREAD}x of 10m",
            spread <= GOAL_CLASS_SPREAD,
            f"{spread:.2f}x",
        ),
        (
            "caredesk agrees with the reference everywhere",
            all_rows_ok and not oracle_bad,
            f"{sum(r.agree for r in rows if r.impl == 'caredesk'):,}/"
            f"{sum(r.checked for r in rows if r.impl == 'caredesk'):,} results",
        ),
    ]
    print()
    print("Goals" + (" (--quick: a smoke run; judge goals on a full run)" if quick else ""))
    for name, ok, detail in goals:
        status = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
        print(f"  {status}  {name:<58} {detail}")
    print(
        f"  (caredesk cal.add in a loop on lists: {_rate(cd_many_list.per_second)}; "
        f"total run {perf_counter() - began:.0f} s{', --quick' if quick else ''})"
    )

    return {
        "machine": info,
        "mode": "quick" if quick else "full",
        "seed": seed,
        "corpus": {
            "starts": n,
            "kinds": dict(kinds),
            "classes": dict(classes),
            "array_size": len(arr_min),
        },
        "reference": {
            "minutes": len(oracle.mask),
            "literal_pairs": literal,
            "literal_disagreements": int(oracle_bad),
        },
        "rows": [
            {
                "impl": r.impl,
                "op": r.op,
                "calls": r.calls,
                "reps": r.reps,
                "best_seconds": r.seconds,
                "us_per_call": r.us_per_call,
                "per_second": r.per_second,
                "checked": r.checked,
                "agree": r.agree,
                "agree_via_roll": r.rolled,
                "mismatches": r.checked - r.agree,
                "note": r.note,
            }
            for r in rows
        ],
        "caredesk_add_by_class_us": dict(class_rows),
        "ratios": {
            "add_vs_pandas": ratio_pd_add,
            "add_vs_workclock": ratio_wc_add,
            "between_vs_workclock": ratio_wc_between,
            "add_vs_pandas_utc_in": ratio_pd_add_utc,
            "add_vs_workclock_utc_in": ratio_wc_add_utc,
            "between_vs_workclock_utc_in": ratio_wc_between_utc,
            "add_30BD_vs_10m": spread,
        },
        "goals": [{"goal": g, "pass": ok, "detail": d} for g, ok, d in goals],
    }


def _py_add() -> Any:
    from caredesk.core import calendar

    return calendar._PY_ADD


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller corpus, fewer repeats")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write results as JSON")
    parser.add_argument("--seed", type=int, default=SEED, help=f"corpus seed (default {SEED})")
    parser.add_argument(
        "--pure-python",
        action="store_true",
        help="time caredesk without its optional C hot path (when it is built)",
    )
    args = parser.parse_args(argv)
    use_accelerator(not args.pure_python)
    result = run(QUICK if args.quick else FULL, args.quick, args.seed)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
