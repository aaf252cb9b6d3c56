"""Chains of forwarded acts: graph queries (``graph``), the kept figures
(``statistics``), who sees what (``masking``) and what a chain page shows
(``view``)."""
