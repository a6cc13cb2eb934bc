"""Fixtures for the calendar area (loaded by conftest.py)."""
