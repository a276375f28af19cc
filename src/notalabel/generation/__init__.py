"""One-shot pattern generation for the terminal client (`/api/generate-music`)."""
