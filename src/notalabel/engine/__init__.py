"""Pure music domain: text understanding and Strudel pattern building (no I/O)."""
