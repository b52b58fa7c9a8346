"""Why a configured chat backend cannot be used (the answer falls back to extractive)."""


class BackendUnavailable(RuntimeError):
    """The backend is not installed, its model is missing or invalid, or its server is down."""
