"""PostgreSQL as Django's backend, with a health check that costs no round trip when the
connection is idle and the server has said nothing, and prepared statements that keep
their generic plan (``base.DatabaseWrapper``)."""
