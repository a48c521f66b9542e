"""Business rules. No HTTP or ORM types in signatures: repositories are passed in."""
