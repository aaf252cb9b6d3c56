"""Teams: membership, roles and invite links (``membership``) and the weeks a
team takes together (``weeks``)."""
