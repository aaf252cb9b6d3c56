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


class NotFound(DomainError):
    """The object does not exist, or the user may not see it: both answer 404."""

    def __init__(self, message: str = "not found"):
        super().__init__(message)


class InvalidInput(DomainError):
    """A value is out of the rules (for a field, when ``field`` is set)."""


class RuleViolation(DomainError):
    """The operation breaks a rule of the product (one challenge at a time, ...)."""
