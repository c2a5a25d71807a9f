"""T6 authorisation by certification (through the hook, as other plugins call it), the key-staff
report, and periodic dealer training (D5, T7) with dealers seeing only their own records."""
from __future__ import annotations

import pytest

from core.errors import BusinessRuleError
from core.facts import Authorisation
from core.extensions import db
from plugins.training.models import Audience
from plugins.training.services import certification, sessions
from tests import factories
from tests.conftest import login
from tests.routes import app_rules, sample_url

from . import builders


def ask(app, user, work="warranty.repair", family=None):
    """Exactly how the dealers and warranty plugins ask."""
    return app.extensions["postventa"].hook.postventa_may_perform_work(user=user, work=work, product_family=family)


def test_t6_uncertified_technician_refused_and_certified_one_allowed(tapp, clock):
    uncertified = factories.user(["technician"])
    answer = ask(tapp, uncertified)
    assert isinstance(answer, Authorisation) and answer.allowed is False and uncertified.display_name in answer.reason
    certified = factories.user(["technician"])
    builders.certified(certified, builders.course(), clock)
    assert ask(tapp, certified) == Authorisation(True)


def test_t6_uncertified_technician_refused_again_when_the_certificate_lapses(tapp, clock):
    person = factories.user(["technician"])
    builders.certified(person, builders.course(validity_months=6), clock)
    assert ask(tapp, person).allowed
    clock.advance(days=200)
    assert ask(tapp, person).allowed is False


def test_t6_no_requirement_means_no_answer_from_training(tapp):
    clerk = factories.user(["finance"])
    assert certification.may_perform_work(clerk, "warranty.repair", None) is None
    assert ask(tapp, clerk) == Authorisation(True)  # core's trylast default


def test_t6_uncertified_technician_refused_for_a_policy_listed_work_kind(make_app, clock):
    app = make_app(["training"], POSTVENTA_POLICIES={"training.key_roles": [],
                                                     "training.certified_work_kinds": ["dealers.claim"]})
    with app.app_context():
        dealer, (fitter,) = builders.dealer_with_staff()
        assert ask(app, fitter, "dealers.claim").allowed is False
        assert certification.may_perform_work(fitter, "warranty.visit", None) is None
        builders.certified(fitter, builders.course(audience=Audience.DEALER_TECHNICIANS), clock)
        assert ask(app, fitter, "dealers.claim").allowed is True


def test_t6_uncertified_technician_refused_for_a_family_without_that_family_course(make_app, clock):
    app = make_app(["training"], POSTVENTA_POLICIES={"training.certified_product_families": ["bomba_calor"]})
    with app.app_context():
        person = factories.user(["technician"])
        builders.certified(person, builders.course(), clock)  # a general course
        assert ask(app, person, family="caldera").allowed is True
        refused = ask(app, person, family="bomba_calor")
        assert refused.allowed is False and "bomba_calor" in refused.reason
        builders.certified(person, builders.course(family="bomba_calor"), clock)
        assert ask(app, person, family="bomba_calor").allowed is True


def test_t6_report_lists_key_staff_without_a_valid_certificate(tapp, tclient, clock):
    lacking = factories.user(["technician"], username="marta")
    holder = factories.user(["technician"], username="pedro")
    builders.certified(holder, builders.course(), clock)
    factories.user(["finance"], username="fernanda")
    assert [u.id for u in certification.key_staff_without_certificate()] == [lacking.id]
    login(tclient, factories.user(["leadership"]).username)
    page = tclient.get("/training/reports").get_data(as_text=True)
    assert "Marta" in page and "Pedro" not in page and "Fernanda" not in page


def test_d5_dealer_staff_due_for_periodic_training(tapp, clock):
    course = builders.course(audience=Audience.DEALER_TECHNICIANS)
    dealer, (trained, never) = builders.dealer_with_staff(staff=2)
    certification.save_dealer_plan(dealer, course, interval_months=12)
    builders.certified(trained, course, clock)
    db.session.commit()
    states = {line.user.id: line.state for line in certification.dealer_training_due()}
    assert states == {trained.id: "ok", never.id: "due"}
    clock.advance(days=340)  # within training.dealer_due_soon_days of the anniversary
    assert {line.user.id: line.state for line in certification.dealer_training_due()}[trained.id] == "soon"
    clock.advance(days=30)
    assert {line.user.id: line.state for line in certification.dealer_training_due()}[trained.id] == "due"


def test_t7_dealer_interval_defaults_to_the_policy(make_app):
    app = make_app(["training"], POSTVENTA_POLICIES={"training.dealer_training_interval_months": 6})
    with app.app_context():
        dealer, _ = builders.dealer_with_staff()
        plan = certification.save_dealer_plan(dealer, builders.course())
        assert plan.interval_months == 6
        with pytest.raises(BusinessRuleError) as refused:
            certification.save_dealer_plan(factories.org(), builders.course())  # a customer, not a dealer
        assert refused.value.field == "dealer_org_id"


def test_d5_dealer_plan_form_refuses_bad_input(tapp, tclient):
    login(tclient, factories.user(["sales_office"]).username)
    dealer, _ = builders.dealer_with_staff()
    course = builders.course()
    answer = tclient.post("/training/dealer-plans", data={"dealer_org_id": dealer.id, "course_id": course.id,
                                                          "interval_months": "0"})
    assert answer.status_code == 422 and 'id="interval_months-error"' in answer.get_data(as_text=True)


def test_d5_dealer_users_see_only_their_own_dealers_training(tapp, tclient, clock):
    course = builders.course(audience=Audience.DEALER_TECHNICIANS)
    mine, (me,) = builders.dealer_with_staff("Agro Norte")
    theirs, (them,) = builders.dealer_with_staff("Agro Sur")
    certification.save_dealer_plan(mine, course)
    certification.save_dealer_plan(theirs, course)
    their_certificate = builders.certified(them, course, clock)
    given = builders.session(course)
    their_enrolment = sessions.enrol(given, factories.user(["dealer"], organisation=theirs))
    db.session.commit()
    login(tclient, me.username)
    assert tclient.get(f"/training/certificates/{their_certificate.id}.pdf").status_code == 404
    assert them.display_name not in tclient.get("/training/certificates").get_data(as_text=True)
    assert tclient.post(f"/training/enrolments/{their_enrolment.id}/cancel").status_code == 404
    assert "Agro Sur" not in tclient.get("/training/reports").get_data(as_text=True)
    session_page = tclient.get(f"/training/sessions/{given.id}").get_data(as_text=True)
    assert their_enrolment.user.display_name not in session_page
    # A dealer's user may not enrol another dealer's staff by editing the form.
    refused = tclient.post(f"/training/sessions/{given.id}/enrol", data={"user_id": them.id})
    assert refused.status_code == 422
    assert sessions.seats_taken(given.id) == 1


def test_every_training_route_refuses_another_dealers_user(tapp, tclient, clock):
    """Every route with an id of another dealer's records answers 403 or 404 (or a form error) to this dealer."""
    course = builders.course(audience=Audience.DEALER_TECHNICIANS)
    theirs, (them,) = builders.dealer_with_staff("Agro Sur")
    certificate = builders.certified(them, course, clock)
    _, (me,) = builders.dealer_with_staff("Agro Norte")
    login(tclient, me.username)
    ids = {"certificate_id": certificate.id, "enrolment_id": certificate.enrolment_id}
    leaked = []
    for rule in app_rules(tapp):
        if not rule.endpoint.startswith("training.") or not set(rule.arguments) & set(ids):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = tclient.open(sample_url(tapp, rule, ids), method=method)
            if response.status_code not in (403, 404):
                leaked.append((rule.rule, method, response.status_code))
    assert leaked == []


def test_reports_page_issues_a_constant_number_of_queries(tapp, tclient, count_queries, clock):
    course = builders.course()
    login(tclient, factories.user(["sales_office"]).username)

    def page_with(n):
        dealer, people = builders.dealer_with_staff(staff=n)
        certification.save_dealer_plan(dealer, course)
        builders.certified(people[0], course, clock)
        factories.user(["technician"])
        with count_queries() as counted:
            assert tclient.get("/training/reports").status_code == 200
        return counted.count

    assert page_with(2) == page_with(20)


def test_due_line_without_training_is_due_now(tapp):
    dealer, (person,) = builders.dealer_with_staff()
    certification.save_dealer_plan(dealer, builders.course())
    (line,) = certification.dealer_training_due()
    assert line.due_on is None and line.last_trained_on is None and line.state == "due"
    assert line.user.id == person.id
