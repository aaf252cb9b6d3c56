"""Tests of kindness.domain: the rules as plain functions over a session."""
