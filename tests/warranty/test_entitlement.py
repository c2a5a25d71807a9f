"""W1, W2, W9: when the warranty starts and ends, and what a unit is entitled to."""
from datetime import date

from core.auth.models import OrganisationKind
from plugins.warranty import services
from tests import factories


def make_unit(customer=None, **dates):
    customer = customer or factories.org(OrganisationKind.CUSTOMER)
    product = services.find_product("BC-200") or services.create_product("BC-200", "Bomba de calor", "climate")
    return services.create_unit(product, dates.pop("serial", "SN-1"), customer.id, **dates)


def test_w1_warranty_starts_at_signed_acceptance(make_app):
    app = make_app(["warranty"])
    with app.app_context():
        unit = make_unit(completed_on=date(2025, 1, 10))
        services.record_acceptance(unit, date(2025, 2, 1), "Sr. Cliente", "Sra. Empresa")
        ent = services.entitlement(unit, on=date(2026, 3, 2))
        assert ent.basis == "acceptance"
        assert ent.starts_on == date(2025, 2, 1)
        assert ent.ends_on == date(2027, 1, 31)  # default term 2 years
        assert ent.in_warranty
        assert ent.lines["parts"].covered and ent.lines["labour"].covered and ent.lines["travel"].covered
        assert not services.entitlement(unit, on=date(2027, 2, 1)).in_warranty


def test_w1_term_is_a_policy(make_app):
    app = make_app(["warranty"], POSTVENTA_POLICIES={"warranty.term_months": 36})
    with app.app_context():
        unit = make_unit()
        services.record_acceptance(unit, date(2025, 2, 1), "Cliente", "Empresa")
        assert services.entitlement(unit, on=date(2026, 3, 2)).ends_on == date(2028, 1, 31)


def test_w1_acceptance_needs_both_signatures(make_app):
    app = make_app(["warranty"])
    with app.app_context():
        unit = make_unit()
        try:
            services.record_acceptance(unit, date(2025, 2, 1), "Cliente", "")
        except Exception as error:
            assert getattr(error, "field", None) == "accepted_by_company"
        else:
            raise AssertionError("an acceptance signed by one party was accepted")


def test_w2_without_certificate_warranty_starts_at_completion(make_app):
    app = make_app(["warranty"])
    with app.app_context():
        unit = make_unit(completed_on=date(2024, 3, 1))
        services.record_acceptance(unit, date(2024, 5, 1), "Cliente", "Empresa")
        ent = services.entitlement(unit, on=date(2026, 3, 2), certificate_shown=False)
        assert ent.basis == "completion"
        assert ent.starts_on == date(2024, 3, 1)
        assert not ent.in_warranty  # ended 2026-02-28, while acceptance would still cover it
        assert services.entitlement(unit, on=date(2026, 3, 2)).in_warranty


def test_w9_find_unit_by_serial_and_ambiguity(make_app):
    app = make_app(["warranty"])
    with app.app_context():
        customer = factories.org(OrganisationKind.CUSTOMER)
        first = make_unit(customer, serial="X-1")
        other = services.create_product("EQ-9", "Enfriadora", "climate")
        services.create_unit(other, "X-1", customer.id)
        assert services.find_unit("X-1") is None  # ambiguous across products
        assert services.find_unit("X-1", "BC-200").id == first.id
        assert services.find_unit("nope") is None


def test_installed_units_fact_lists_a_customers_units(make_app):
    app = make_app(["warranty"])
    with app.app_context():
        customer = factories.org(OrganisationKind.CUSTOMER)
        make_unit(customer, serial="A-1", installed_on=date(2025, 1, 1))
        facts = app.extensions["postventa"].hook.postventa_installed_units(organisation_id=customer.id)
        units = [u for result in facts for u in result]
        assert [(u.serial, u.product_model, u.product_family) for u in units] == [("A-1", "BC-200", "climate")]
