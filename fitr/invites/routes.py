"""Invite routes (issue 6 builds them)."""
