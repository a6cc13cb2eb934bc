"""Fixtures for the athlete area (loaded by conftest.py)."""
