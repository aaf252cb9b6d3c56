"""Teams: membership, roles and invite links (``membership``), the weeks a
team takes together (``weeks``), who stays in the per-person participation view
(``participation``) and the chains its members took part in (``chains``)."""
