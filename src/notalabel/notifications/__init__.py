"""Notifications: what others did to an artist's patterns and account, grouped in bursts."""
