"""The JSON API under /api/v1, and its browsable reference at /developers/api."""
