"""The social graph: follows and blocks between artists."""
