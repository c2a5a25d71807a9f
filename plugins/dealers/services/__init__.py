"""The dealers plugin's business logic, one module per part of the work.

Other plugins never import these; the warranty plugin's documented services are
the only outside code called (dealers depends on warranty), everything else
meets through the hooks in ``core/hookspecs.py``.
"""
from . import claims, grading, parts_return, profiles, sales, settlement, spot_checks, stock, tasks

__all__ = ["claims", "grading", "parts_return", "profiles", "sales", "settlement", "spot_checks", "stock", "tasks"]
