"""Tests of kindness.web: the pages, forms and their access rules."""
