"""Cases and the shared case timeline every plugin writes to."""
