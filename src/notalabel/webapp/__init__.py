"""The artist's web app: HTML pages, their scripts and the sandboxed Strudel player."""
