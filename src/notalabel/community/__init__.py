"""Community matching: artists who sound alike, and artists worth collaborating with."""
