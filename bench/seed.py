"""Seed a realistic data set through the services, so every rule, hook and audit row runs.

Nothing here inserts rows directly: cases are opened with
``core.cases.services``, service requests and emergencies with the warranty
plugin's services, dealers, sales and claims with the dealers plugin's. The
frozen clock moves forward between events so the history spreads over months,
and the session is committed every few hundred events.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from flask import g
from sqlalchemy import func, select

from core.auth.models import Organisation, OrganisationKind, User
from core.auth.services import create_organisation, create_user
from core.cases import services as cases
from core.cases.models import Case, CaseStatus, TimelineEvent
from core.demo_data import DEMO_PASSWORD
from core.extensions import db

from bench import texts
from bench.settings import Scale

COMMIT_EVERY_EVENTS = 500
HISTORY_DAYS = 300  # the seeded history spans this many days, whatever the scale
PRODUCTS = [
    ("BC-200", "Bomba de calor 200", "climatización"),
    ("BC-400", "Bomba de calor 400", "climatización"),
    ("EN-75", "Enfriadora 75 kW", "frío industrial"),
    ("EN-150", "Enfriadora 150 kW", "frío industrial"),
    ("CA-30", "Caldera de condensación 30", "calefacción"),
    ("CA-60", "Caldera de condensación 60", "calefacción"),
]


@dataclass
class Probes:
    """Records the page measurements need: a long and a short case, serials, dealer users."""

    long_case_id: int | None = None
    short_case_id: int | None = None
    single_case_number: str = ""
    serial_with_history: str = ""
    serial_without_history: str = ""
    big_dealer_user: str = ""
    small_dealer_user: str = ""
    small_dealer_id: int | None = None


@dataclass
class SeedReport:
    """What was seeded, counted back from the database, and how long it took."""

    seconds: float = 0.0
    counts: dict = field(default_factory=dict)
    claim_states: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    probes: Probes = field(default_factory=Probes)


class Seeder:
    """Seeds ``scale`` into the app's database (an app context must be active)."""

    def __init__(self, app, clock, scale: Scale, seed: int = 7, progress=lambda message: None):
        self.app = app
        self.progress = progress
        self.clock = clock
        self.scale = scale
        self.rng = random.Random(seed)
        self.enabled = set(app.extensions["postventa"].registry.enabled_names)
        self.report = SeedReport()
        total_events = max(scale.cases * scale.events_per_case, 1)
        self.step = timedelta(days=HISTORY_DAYS) / total_events
        self.uncommitted = 0
        self.staff = {u.username: u.id for u in db.session.scalars(select(User))}
        self.customers: list[int] = []
        self.direct_units: list[tuple[int, str, int]] = []  # (unit id, serial, customer id)
        self.dealers: list[int] = []
        self.sales_by_dealer: dict[int, list[str]] = {}
        self.dealer_users: dict[int, str | None] = {}

    # --- plumbing --------------------------------------------------------------------

    def act_as(self, username: str | None) -> None:
        """Stamp the following changes with this user (the audit log and the timeline's actor)."""
        g.postventa_actor_id = self.staff.get(username) if username else None

    def tick(self, events: int = 1) -> None:
        """Move the clock past ``events`` events and commit every few hundred."""
        self.clock.advance(self.step * events)
        self.uncommitted += events
        if self.uncommitted >= COMMIT_EVERY_EVENTS:
            db.session.commit()
            self.uncommitted = 0

    # --- the run ----------------------------------------------------------------------

    def run(self, demo_logins) -> SeedReport:
        self.act_as("admin")
        self.customers = list(db.session.scalars(
            select(Organisation.id).where(Organisation.kind == OrganisationKind.CUSTOMER).order_by(Organisation.id)))
        claims = self.scale.claims if "dealers" in self.enabled else 0
        if "warranty" in self.enabled:
            self.seed_installed_base(self.scale.units - (self.sales_target() if claims else 0))
        else:
            self.report.notes.append("warranty plugin not enabled: no units, service requests or serial lookup")
        if claims:
            self.seed_dealers(demo_logins)
        else:
            self.report.notes.append("dealers plugin not enabled: no dealers, sales or claims")
        db.session.commit()
        self.seed_cases(claims)
        if claims:
            self.settle_first_period()
        self.seed_probes()
        db.session.commit()
        self.count()
        return self.report

    def seed_cases(self, claims: int) -> None:
        """Service cases and claim cases interleaved, so both spread over the whole history."""
        service_index = claim_index = 0
        for index in range(self.scale.cases):
            if index and index % 1000 == 0:
                self.progress(f"{index:,} cases seeded")
            if claim_index < claims and (index + 1) * claims // self.scale.cases > claim_index:
                self.seed_claim_case(claim_index)
                claim_index += 1
            else:
                self.seed_service_case(service_index)
                service_index += 1

    def sales_target(self) -> int:
        return int(self.scale.units * 0.6)

    # --- installed base (warranty) ------------------------------------------------------

    def seed_installed_base(self, direct_units: int) -> None:
        """Products, direct customers and their units with signed acceptance reports (W1)."""
        from plugins.warranty import services as warranty

        self.products = [warranty.find_product(model) or warranty.create_product(model, name, family,
                                                                                 maker="Postventa Industrial")
                         for model, name, family in PRODUCTS]
        for index in range(max(1, direct_units // 10)):
            org = create_organisation(texts.company_name(self.rng, index), OrganisationKind.CUSTOMER,
                                      phone=texts.phone(self.rng), address=texts.address(self.rng))
            self.customers.append(org.id)
        today = self.clock().date()
        for index in range(max(0, direct_units)):
            customer_id = self.customers[index % len(self.customers)]
            product = self.products[index % len(self.products)]
            completed = today - timedelta(days=self.rng.randint(30, 600))
            unit = warranty.create_unit(product, f"SN{index + 1:07d}", customer_id, site=texts.address(self.rng),
                                        delivered_on=completed - timedelta(days=10),
                                        installed_on=completed - timedelta(days=5), completed_on=completed)
            if index % 5:  # most units have the signed acceptance report; some only a completion date (W2)
                warranty.record_acceptance(unit, completed, texts.person(self.rng), "Tomás Técnico")
            self.direct_units.append((unit.id, unit.serial, customer_id))
            if index % 200 == 199:
                db.session.commit()

    # --- dealers --------------------------------------------------------------------------

    def seed_dealers(self, demo_logins) -> None:
        """Dealers with a login each, and their registered sales (D7: a few cards arrive late)."""
        from plugins.dealers.services import profiles, sales

        demo_dealer_users = [login.username for login in demo_logins if login.role.startswith("dealer")]
        for username in demo_dealer_users:
            user = db.session.scalar(select(User).where(User.username == username))
            if user is not None and user.organisation_id not in self.dealers:
                self.dealers.append(user.organisation_id)
                self.report.probes.big_dealer_user = self.report.probes.big_dealer_user or username
        dealer_role = "dealer"
        for index in range(self.scale.dealers):
            profile = profiles.create_dealer(texts.dealer_name(self.rng, index), service_area=texts.city(self.rng),
                                             contact_name=texts.person(self.rng), contact_phone=texts.phone(self.rng))
            username = f"bench_dealer_{index + 1:03d}"
            org = db.session.get(Organisation, profile.dealer_id)
            user = create_user(username, DEMO_PASSWORD, org, roles=[dealer_role], full_name=texts.person(self.rng))
            self.staff[username] = user.id
            self.dealers.append(profile.dealer_id)
        if not self.report.probes.big_dealer_user:
            self.report.probes.big_dealer_user = "bench_dealer_001"
            self.report.notes.append("no demo dealer login: the dealer pages are loaded as bench_dealer_001")
        today = self.clock().date()
        for index in range(self.sales_target()):
            dealer_id = self.dealers[index % len(self.dealers)]
            product = PRODUCTS[index % len(PRODUCTS)][0]
            sold_on = today - timedelta(days=self.rng.randint(20, 300))
            late = index % 20 == 19
            sale = sales.register_sale(
                dealer_id, serial=f"DS{index + 1:07d}", product_model=product,
                customer_name=texts.person(self.rng), customer_phone=texts.phone(self.rng),
                customer_address=texts.address(self.rng), sold_on=sold_on,
                received_on=sold_on + timedelta(days=30 if late else self.rng.randint(1, 15)),
                scope_acknowledged=True,
            )
            self.sales_by_dealer.setdefault(dealer_id, []).append(sale.serial)
            if index % 200 == 199:
                db.session.commit()

    # --- cases ------------------------------------------------------------------------------

    def pad(self, case, events: int, target: int) -> int:
        """Comments and service logs until the case has ``target`` events."""
        while events < target:
            if events % 4 == 0:
                cases.add_service_log(case, self.rng.choice(("call", "visit", "letter")),
                                      texts.sentence(self.rng), texts.sentence(self.rng))
            else:
                cases.add_comment(case, texts.sentence(self.rng))
            events += 1
            self.tick()
        return events

    def open_service_case(self, index: int, emergency: bool):
        """Customer service takes the call: a warranty service request (M1), or a bare case without warranty."""
        self.act_as("customer_service")
        if "warranty" in self.enabled and self.direct_units:
            from plugins.warranty import emergency as requests
            from plugins.warranty.models import Unit

            unit_id, _serial, customer_id = self.direct_units[index % len(self.direct_units)]
            case = requests.open_service_request(
                customer_id, owner_name=texts.person(self.rng), owner_phone=texts.phone(self.rng),
                owner_address=texts.address(self.rng), content=texts.problem(self.rng),
                unit=db.session.get(Unit, unit_id), emergency=emergency)
            return case, 2
        case = cases.open_case(texts.problem(self.rng), self.rng.choice(self.customers),
                               contact_name=texts.person(self.rng), contact_phone=texts.phone(self.rng))
        return case, 1

    def seed_service_case(self, index: int) -> None:
        """A case worked to one of several outcomes, ``events_per_case`` events in all.

        Emergencies are always answered, on site and resolved, so their S1-S3 clocks
        are met and the deadline benchmark controls which clocks are due.
        """
        target = self.scale.events_per_case
        emergency = index % 10 == 0
        outcome = "resolved" if emergency else self.rng.choice(
            ("in_progress", "in_progress", "waiting", "resolved", "resolved", "closed"))
        case, events = self.open_service_case(index, emergency)
        self.tick(events)
        warranty_on = "warranty" in self.enabled
        self.act_as("customer_service")
        cases.assign(case, db.session.get(User, self.staff["technician"]))
        cases.change_status(case, CaseStatus.OPEN)
        events += 2
        self.tick(2)
        if warranty_on:
            from plugins.warranty import emergency as requests

            technician = db.session.get(User, self.staff["technician"])
            requests.answer(case, texts.sentence(self.rng))
            self.act_as("technician")
            requests.dispatch(case, technician)
            requests.check_in(case, technician)
            events += 3
            self.tick(3)
        self.act_as("technician")
        cases.change_status(case, CaseStatus.IN_PROGRESS)
        events += 1
        self.tick()
        closing = {"in_progress": 0, "waiting": 1, "resolved": 1 + warranty_on, "closed": 2 + warranty_on}[outcome]
        events = self.pad(case, events, target - closing)
        if outcome in ("resolved", "closed") and warranty_on:
            from plugins.warranty import emergency as requests

            requests.resolve(case, texts.sentence(self.rng))
            self.tick()
        if outcome != "in_progress":
            cases.change_status(case, outcome, texts.sentence(self.rng))
            self.tick(2 if outcome == "closed" else 1)
        if index == 0:
            self.report.probes.long_case_id = case.id

    def seed_claim_case(self, index: int) -> None:
        """A three-guarantee claim taken to one of its states, its case padded to ``events_per_case``."""
        from plugins.dealers.models import ClaimState
        from plugins.dealers.services import claims

        dealer_id = self.claim_dealer(index)
        serials = self.sales_by_dealer.get(dealer_id)
        if not serials:
            return
        goal = self.rng.choices(
            ("draft", "submitted", "under_appraisal", "approved", "rejected", "verified"),
            weights=(10, 15, 10, 10, 10, 45))[0]
        self.act_as(self.dealer_user(dealer_id))
        claim = claims.start_claim(dealer_id, self.rng.choice(serials))
        claims.save_draft(claim, fault_on=self.clock().date() - timedelta(days=2), fault=texts.problem(self.rng),
                          cause=self.rng.choice(("design", "manufacture", "quality")), remedy="repair",
                          labour_hours="2.5", travel_km=str(self.rng.randint(5, 120)),
                          served_user_name=texts.person(self.rng))
        events = 2
        self.tick(2)
        target = self.scale.events_per_case
        remaining_steps = {"draft": 0, "submitted": 1, "rejected": 2, "under_appraisal": 2, "approved": 3,
                           "verified": 4}[goal]
        events = self.pad(claim.case, events, min(events + 3, target - remaining_steps - 1))
        if goal != "draft":
            claims.submit(claim, db.session.get(User, self.staff["technician"]))
            events += 1 + int(claim.flagged) + int(claim.state == ClaimState.REJECTED)
            self.tick()
        if claim.state == ClaimState.SUBMITTED and goal == "rejected":
            self.act_as("technical")
            claims.reject(claim, texts.sentence(self.rng))
            events += 1
            self.tick()
        elif claim.state == ClaimState.SUBMITTED and goal in ("under_appraisal", "approved", "verified"):
            self.act_as("technical")
            claims.start_appraisal(claim)
            events += 1
            self.tick()
            if goal in ("approved", "verified"):
                claims.approve(claim, texts.sentence(self.rng))
                events += 1
                self.tick()
            if goal == "verified":
                self.act_as("finance")
                claims.verify(claim)
                events += 1
                self.tick()
        self.pad(claim.case, events, target)

    def claim_dealer(self, index: int) -> int:
        """The demo dealer (first in the list) gets a tenth of the claims; the rest spread evenly."""
        if index % 10 == 0:
            return self.dealers[0]
        return self.dealers[1 + index % (len(self.dealers) - 1)] if len(self.dealers) > 1 else self.dealers[0]

    def dealer_user(self, dealer_id: int) -> str | None:
        """The username of the dealer's first user (who files its claims)."""
        if dealer_id not in self.dealer_users:
            user = db.session.scalar(select(User).where(User.organisation_id == dealer_id).order_by(User.id))
            self.dealer_users[dealer_id] = user.username if user else None
        return self.dealer_users[dealer_id]

    def settle_first_period(self) -> None:
        """Finance issues the fee notices of the first half of the history; dealers confirm half of them (D19)."""
        from plugins.dealers.services import settlement

        start = (self.clock() - timedelta(days=HISTORY_DAYS + 30)).date()
        end = (self.clock() - timedelta(days=HISTORY_DAYS // 2)).date()
        self.act_as("finance")
        notices = settlement.issue_notices(start, end)
        for notice in notices[::2]:
            settlement.confirm_notice(notice, db.session.get(User, self.staff["finance"]))
        db.session.commit()

    # --- probes for the page measurements ------------------------------------------------------

    def seed_probes(self) -> None:
        """A case with three events, a dealer with one claim: the 'few rows' side of each page."""
        probes = self.report.probes
        case, _ = self.open_service_case(1, emergency=False)
        cases.assign(case, db.session.get(User, self.staff["technician"]))  # as assigned as the long one
        probes.short_case_id = case.id
        probes.single_case_number = case.number
        db.session.commit()
        if self.direct_units:
            probes.serial_with_history = self.direct_units[0][1]
            probes.serial_without_history = self.direct_units[-1][1]
        if len(self.dealers) > 1 and "dealers" in self.enabled:
            from plugins.dealers.services import claims

            small = self.dealers[-1]
            probes.small_dealer_id = small
            probes.small_dealer_user = self.dealer_user(small) or ""
            self.act_as(probes.small_dealer_user)
            if not self.sales_by_dealer.get(small):
                return
            claims.start_claim(small, self.sales_by_dealer[small][0])

    def count(self) -> None:
        counts = self.report.counts
        counts["cases"] = db.session.scalar(select(func.count(Case.id)))
        counts["timeline_events"] = db.session.scalar(select(func.count(TimelineEvent.id)))
        counts["organisations"] = db.session.scalar(select(func.count(Organisation.id)))
        if "warranty" in self.enabled:
            from plugins.warranty.models import Unit

            counts["units"] = db.session.scalar(select(func.count(Unit.id)))
        if "dealers" in self.enabled:
            from plugins.dealers.models import Claim, FeeNotice, Sale

            counts["dealers"] = db.session.scalar(
                select(func.count(Organisation.id)).where(Organisation.kind == OrganisationKind.DEALER))
            counts["sales"] = db.session.scalar(select(func.count(Sale.id)))
            counts["claims"] = db.session.scalar(select(func.count(Claim.id)))
            counts["fee_notices"] = db.session.scalar(select(func.count(FeeNotice.id)))
            self.report.claim_states = dict(db.session.execute(
                select(Claim.state, func.count(Claim.id)).group_by(Claim.state).order_by(Claim.state)).all())
