"""The terminal client: `notalabel join`, `notalabel me`, `notalabel logout`."""
