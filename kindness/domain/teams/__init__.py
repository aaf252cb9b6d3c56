"""Teams: membership, roles and invite links (``membership``), the weeks a
team takes together (``weeks``) and the chains its members took part in
(``chains``)."""
