"""A module without any application or factory."""

RETRIES = 3
