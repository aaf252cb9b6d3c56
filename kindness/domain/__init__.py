"""The rules of Kindness as plain functions over a session: no request, no HTML,
no commit. Each module owns one area; they raise ``kindness.domain.errors`` and
only ``flush()``, and the web pages, the CLI (and later the API and the jobs)
all call them, so a rule lives in one place."""
