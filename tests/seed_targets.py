"""Every per-case target of the seed tables, with a hand-worked due time.

All cases open on Friday 2026-11-20 16:30 in New York (US public holidays), on the
customer calendar Monday-Friday 08:00-17:00 (one business day = 9 business hours).
Working it out: half an hour counts on Friday, then Monday 23, Tuesday 24, Wednesday 25,
(Thursday 26 is Thanksgiving), Friday 27, Monday 30 November, Tuesday 1 ... Friday 4,
Monday 7 ... Friday 11, Monday 14 ... Friday 18, Monday 21 ... Thursday 24 December,
(Friday 25 is Christmas), Monday 28 ... Thursday 31, (Friday 1 January is New Year's Day),
Monday 4, Tuesday 5, Wednesday 6 January 2027. N business days therefore end at 16:30 on
the Nth of those days; N business hours end at 08:00 + (N - 0.5) h on Monday when N < 9.5.
Clock targets (m, h) run 24x7 from 16:30 EST.
"""

from __future__ import annotations

OPENED = "2026-11-20T16:30:00-05:00"  # Friday 16:30 EST
TZ = "America/New_York"
COUNTRY = "US"

# (policy, plan, case type, severity, metric, target text, expected due in local time, EST)
ROWS: list[tuple[str, str, str, int, str, str | None, str | None]] = [
    # --- purecloud-support (seed 000): response targets; restoration is aggregate only ---
    ("purecloud-support", "standard", "incident", 1, "response", "10m", "2026-11-20T16:40:00-05:00"),
    ("purecloud-support", "standard", "incident", 2, "response", "1 BH", "2026-11-23T08:30:00-05:00"),
    ("purecloud-support", "standard", "incident", 3, "response", "2 BH", "2026-11-23T09:30:00-05:00"),
    ("purecloud-support", "standard", "incident", 4, "response", "1 BD", "2026-11-23T16:30:00-05:00"),
    ("purecloud-support", "standard", "incident", 1, "restoration", None, None),
    ("purecloud-support", "standard", "incident", 2, "restoration", None, None),
    ("purecloud-support", "standard", "incident", 3, "restoration", None, None),
    ("purecloud-support", "standard", "incident", 4, "restoration", None, None),
    ("purecloud-support", "standard", "incident", 1, "resolution", None, None),
    # --- purecloud-customer-care (seeds 001, 002) ---
    ("purecloud-customer-care", "standard", "incident", 1, "response", "10m", "2026-11-20T16:40:00-05:00"),
    ("purecloud-customer-care", "standard", "incident", 2, "response", "1 BH", "2026-11-23T08:30:00-05:00"),
    ("purecloud-customer-care", "standard", "incident", 3, "response", "2 BH", "2026-11-23T09:30:00-05:00"),
    ("purecloud-customer-care", "standard", "incident", 4, "response", "1 BD", "2026-11-23T16:30:00-05:00"),
    ("purecloud-customer-care", "standard", "incident", 1, "restoration", "4h", "2026-11-20T20:30:00-05:00"),
    ("purecloud-customer-care", "standard", "incident", 2, "restoration", "2 BD", "2026-11-24T16:30:00-05:00"),
    ("purecloud-customer-care", "standard", "incident", 3, "restoration", "5 BD", "2026-11-30T16:30:00-05:00"),
    ("purecloud-customer-care", "standard", "incident", 4, "restoration", None, None),
    # --- genesys-care-cloud-reseller v4 (seeds 003, 004), Care for Cloud ---
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 1, "response", "4h", "2026-11-20T20:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 1, "restoration", "6h", "2026-11-20T22:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 1, "resolution", "15 BD", "2026-12-14T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 2, "response", "6 BH", "2026-11-23T13:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 2, "restoration", "4 BD", "2026-11-27T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 2, "resolution", "15 BD", "2026-12-14T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 3, "response", "1 BD", "2026-11-23T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 3, "restoration", "10 BD", "2026-12-07T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 3, "resolution", "30 BD", "2027-01-06T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 4, "response", "2 BD", "2026-11-24T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 4, "restoration", None, None),
    ("genesys-care-cloud-reseller", "care-for-cloud", "incident", 4, "resolution", None, None),
    ("genesys-care-cloud-reseller", "care-for-cloud", "admin", 3, "response", "2 BD", "2026-11-24T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "care-for-cloud", "admin", 1, "restoration", None, None),
    # --- Business Care for Cloud and Pure Success ---
    ("genesys-care-cloud-reseller", "business-care", "incident", 1, "response", "15m", "2026-11-20T16:45:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 1, "restoration", "4h", "2026-11-20T20:30:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 1, "resolution", "15 BD", "2026-12-14T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 2, "response", "2 BH", "2026-11-23T09:30:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 2, "restoration", "2 BD", "2026-11-24T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 2, "resolution", "15 BD", "2026-12-14T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 3, "response", "4 BH", "2026-11-23T11:30:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 3, "restoration", "5 BD", "2026-11-30T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 3, "resolution", "15 BD", "2026-12-14T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 4, "response", "1 BD", "2026-11-23T16:30:00-05:00"),
    ("genesys-care-cloud-reseller", "business-care", "incident", 4, "restoration", None, None),
    ("genesys-care-cloud-reseller", "business-care", "incident", 4, "resolution", None, None),
    ("genesys-care-cloud-reseller", "business-care", "admin", 2, "response", "2 BD", "2026-11-24T16:30:00-05:00"),
]
