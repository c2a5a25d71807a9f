"""Errors that carry a message for the user, never a stack trace."""
from __future__ import annotations


class BusinessRuleError(Exception):
    """A change refused by a business rule.

    ``field`` names the form field the message belongs next to, when there is
    one. Views turn it into a 4xx answer with the message beside that field.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(Exception):
    """The current user lacks a permission (answered with 403)."""
