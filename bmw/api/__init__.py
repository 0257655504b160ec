"""Cross-cutting API pieces: the error shape, its exception handler, pagination."""
