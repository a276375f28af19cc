"""`python -m notalabel` runs the CLI."""

from notalabel.cli import app

app()
