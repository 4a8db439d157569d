"""The public, read-only JSON API, mounted at /api/v1/."""
