"""The pattern library: every saved Strudel pattern."""
