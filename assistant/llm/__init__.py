"""Chat-model backends chosen by a string."""
