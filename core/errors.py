"""The errors Jangbu raises on purpose.

Every error a user can cause derives from :class:`JangbuError`; the CLI prints
its message as one line and exits non-zero, the web shows it as a 4xx.
Anything else escaping a command is a bug.
"""

from __future__ import annotations

__all__ = [
    "JangbuError",
    "NotFound",
    "Invalid",
    "Conflict",
    "Unbalanced",
    "LockedPeriod",
    "LimitExceeded",
    "IdempotencyConflict",
    "CrossCompany",
    "Immutable",
    "PluginError",
    "PermissionDenied",
]


class JangbuError(Exception):
    """A refusal caused by the input or the state of the books, not a bug."""

    exit_code = 1


class NotFound(JangbuError):
    """A named thing (company, account, plugin, user...) does not exist."""


class Invalid(JangbuError):
    """Input that cannot be understood: a malformed amount, date or code."""


class Conflict(JangbuError):
    """The thing exists already, or the state forbids the change."""


class Unbalanced(Invalid):
    """A transaction whose postings do not sum to zero for every commodity."""


class LockedPeriod(Conflict):
    """A date on or before the company's lock date."""


class LimitExceeded(Conflict):
    """An account flagged must-not-go-negative would go negative."""


class IdempotencyConflict(Conflict):
    """An idempotency key reused with different content."""


class CrossCompany(Invalid):
    """A row that refers to a row of another company."""


class Immutable(JangbuError):
    """An attempt to change or delete a posted ledger row."""


class PluginError(JangbuError):
    """A missing plugin dependency, a cycle, or an install that is refused."""


class PermissionDenied(JangbuError):
    """The user's role in the company does not grant the permission."""
