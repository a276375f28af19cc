"""Passkeys (WebAuthn): register one on an account, sign in with it, list and remove them."""
