"""What the cases app tells whoever listens, synchronously and inside the transaction of the
change, so that listeners (automation: timers, notifications) commit or roll back with it."""

from django.dispatch import Signal

# sender=Case; kwargs: appended (list of (Case, CaseEvent) pairs, one or a batch)
events_appended = Signal()
# sender=Case; kwargs: case, clocks (dict[Metric, MetricClock]), now, new (the case was just
# opened: nothing was scheduled for it yet)
clocks_stored = Signal()
# sender=Case; kwargs: replayed (dict case id -> sla.Recomputed), now: a bulk recompute
# stored these cases' clocks (inside its transaction)
clocks_recomputed = Signal()
