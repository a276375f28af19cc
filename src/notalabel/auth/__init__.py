"""Signing in: passwords, login, refresh-token rotation, logout and devices."""
