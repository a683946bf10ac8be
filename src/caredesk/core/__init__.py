"""The pure core: business calendars, durations, policies, SLA clocks, the case lifecycle.

Standard library plus ``holidays`` only. Nothing here performs I/O beyond reading the
shipped policy files, and nothing reads the current time: instants are passed in.
"""
