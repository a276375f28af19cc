"""Fixtures of the tests that run real worker processes (see workers.py)."""

from tests.realtime.workers import database_url, stream, worker_services

__all__ = ["database_url", "stream", "worker_services"]
