"""The pieces of benchmarks/http_load.py: server, seeding, wrk runs and the report."""
