"""Fixtures for the invites area (loaded by conftest.py)."""
