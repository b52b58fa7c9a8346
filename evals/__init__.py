"""Offline evaluation of citation accuracy: datasets, metrics, runner, reports."""
