"""Errors whose messages are shown to the user as they are: each one says what to do."""

from __future__ import annotations


class AssistantError(Exception):
    """Base: message is shown to the user."""


class ConfigurationError(AssistantError):
    """A setting or an installation step is wrong or missing."""


class BackendUnavailableError(AssistantError):
    """A service the assistant needs (Chroma server, LLM endpoint) cannot be reached."""


class EmptyIndexError(AssistantError):
    """There is no index to search yet."""


class BadInputError(AssistantError):
    """The user's input cannot be used as it is."""


class DiskFullError(AssistantError):
    """The disk holding the local index has no room left for a write."""
