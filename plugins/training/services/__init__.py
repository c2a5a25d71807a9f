"""Business rules of the training plugin, one module per subject."""
