"""Real-time updates: each artist's open screens get their notifications and counters live."""
