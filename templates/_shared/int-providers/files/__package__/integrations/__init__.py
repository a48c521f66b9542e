"""Clients of third-party providers, behind the retry policy and errors of this package."""
