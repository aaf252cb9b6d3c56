"""Mail: building messages (plain text and HTML, in the recipient's language) and
sending them over SMTP, or into ``instance/outbox/`` when no server is set.

Nothing here decides whom to mail or when: the rules queue mails
(``domain.mails``) and the jobs (``kindness.jobs``) send them.
"""
