"""The one error type ingestion raises for input a user can fix."""


class IngestError(ValueError):
    """A file cannot be ingested; the message is one line a user can act on."""
