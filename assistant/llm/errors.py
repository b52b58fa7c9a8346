"""Why a configured chat backend cannot be used (the answer falls back to extractive)."""


class BackendUnavailable(RuntimeError):
    """The backend is not installed, its model is missing or invalid, or its server is down."""


class ModelStoppedError(RuntimeError):
    """The embedded model's process died or stopped answering; a new one starts at the next call."""
