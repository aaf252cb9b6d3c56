"""Server-rendered SVG pictures: pure functions from plain data to escaped markup."""
