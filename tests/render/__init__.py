"""Tests of kindness.render: the pictures as pure functions."""
