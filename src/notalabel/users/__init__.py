"""Artist accounts: profiles and tokens."""
