"""Stand-ins for the other plugins' side of a hook, registered on a test app's plugin manager.

They record what the dealers plugin told them and answer like the inventory or
training plugin would; the dealers plugin's own code and database are real.
"""
from __future__ import annotations

from decimal import Decimal

from core.facts import Authorisation, ScoreFact
from core.hookspecs import hookimpl


class InventorySide:
    """What the inventory plugin would hear and answer."""

    def __init__(self, prices=None, reserve_plans_missed: int = 0):
        self.prices = prices or {}
        self.reserve_plans_missed = reserve_plans_missed
        self.consumed = []
        self.appraised = []

    @hookimpl
    def postventa_parts_consumed(self, case, organisation_id, lines, reference):
        self.consumed.append((organisation_id, [(line.part_number, line.quantity) for line in lines], reference))

    @hookimpl
    def postventa_old_part_appraised(self, part_number, serial, usable, quantity, reference):
        self.appraised.append((part_number, serial, usable, Decimal(quantity), reference))

    @hookimpl
    def postventa_part_price(self, part_number, price_kind):
        return self.prices.get((part_number, price_kind))

    @hookimpl
    def postventa_dealer_scorecard_facts(self, organisation_id, since):
        if not self.reserve_plans_missed:
            return []
        return [ScoreFact("reserve_plan_missed", "Planes de reserva no presentados", self.reserve_plans_missed, False)]


class TrainingSide:
    """The training plugin's answer to "may this person do this work?" (T6)."""

    def __init__(self, certified_usernames=()):
        self.certified = set(certified_usernames)

    @hookimpl
    def postventa_may_perform_work(self, user, work, product_family):
        if user.username in self.certified:
            return Authorisation(True)
        return Authorisation(False, "Técnico sin certificación para esta familia")


def register(app, side, name: str):
    app.extensions["postventa"].registry.pm.register(side, name=name)
    return side
