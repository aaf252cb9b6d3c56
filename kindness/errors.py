"""Domain errors: raised by the rules in ``kindness.<area>``, turned into
messages or HTTP statuses by the views."""


class DomainError(Exception):
    """A rule refused an operation; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class EmailTaken(DomainError):
    pass


class WeakPassword(DomainError):
    pass


class InvalidCredentials(DomainError):
    pass
