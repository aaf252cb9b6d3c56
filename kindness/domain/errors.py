"""Domain errors: raised by the rules in ``kindness.domain``, turned into form
messages, flashes or HTTP statuses by one path in the web layer
(``kindness.web.boundary``)."""


class DomainError(Exception):
    """A rule refused an operation; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist, or the user may not see it: both answer 404."""

    def __init__(self, message: str = "not found"):
        super().__init__(message)


class InvalidInput(DomainError):
    """A value is out of the rules (for a field, when ``field`` is set)."""


class RuleViolation(DomainError):
    """The operation breaks a rule of the product (one challenge at a time, ...)."""


class Conflict(DomainError):
    """Someone else has the value already (a unique name or address), or took it
    at the same moment."""


class EmailTaken(Conflict):
    pass


class WeakPassword(InvalidInput):
    pass


class InvalidCredentials(DomainError):
    """The email address or password given is not right."""
