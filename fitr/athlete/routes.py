"""Client routes (issue 8 builds them)."""
