"""Training and documentation plugin (in construction)."""
