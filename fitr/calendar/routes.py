"""Calendar routes (issue 7 builds them)."""
