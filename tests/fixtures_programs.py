"""Fixtures for the programs area (loaded by conftest.py)."""
