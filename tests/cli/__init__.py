"""Tests of kindness.cli: the flask commands and the Alembic wiring."""
