"""Access: every route declares who may open it; anonymous users reach only login and static
files; CSRF guards every POST; passwords are hashed; repeated failures lock the account."""
from __future__ import annotations


import pytest

from core.auth.models import OrganisationKind, User
from core.auth.scoping import owner_for_new_record
from core.errors import BusinessRuleError
from core.extensions import db
from tests import factories
from tests.conftest import TEST_PASSWORD, csrf_token_from, login
from tests.routes import access_of, app_rules, sample_url


def test_every_route_declares_its_access(app):
    undeclared = [rule.endpoint for rule in app_rules(app) if access_of(app, rule) is None]
    assert undeclared == []


def test_anonymous_client_reaches_only_public_routes(app, client):
    opened = []
    for rule in app_rules(app):
        access = access_of(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(sample_url(app, rule), method=method)
            if access.kind == "public":
                continue
            if not (response.status_code == 302 and "/login" in response.headers["Location"]):
                opened.append((rule.rule, method, response.status_code))
    assert opened == []


def test_csrf_guards_every_post(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        admin = factories.user(["admin"])
        client = app.test_client()
        page = client.get("/login")
        token = csrf_token_from(page.get_data(as_text=True))
        assert client.post("/login", data={"username": admin.username, "password": TEST_PASSWORD,
                                           "csrf_token": token}).status_code == 302
        unguarded = []
        for rule in app_rules(app):
            if "POST" in rule.methods:
                response = client.post(sample_url(app, rule), data={})
                if response.status_code != 400:
                    unguarded.append((rule.rule, response.status_code))
        assert unguarded == []


def test_passwords_are_stored_hashed(app):
    user = factories.user()
    assert TEST_PASSWORD not in user.password_hash
    assert user.password_hash.startswith("pbkdf2:")
    assert user.check_password(TEST_PASSWORD) and not user.check_password("wrong")


def test_repeated_failed_logins_lock_the_account(app, client, clock):
    user = factories.user()
    for _ in range(5):
        assert client.post("/login", data={"username": user.username, "password": "nope"}).status_code == 401
    locked = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert locked.status_code == 401 and "locked" in locked.get_data(as_text=True).lower() or "bloquead" in locked.get_data(as_text=True).lower()
    clock.advance(minutes=16)
    assert client.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302


def test_login_error_is_shown_next_to_the_field(app, client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    assert 'class="error" id="username-error"' in response.get_data(as_text=True)


def test_next_parameter_cannot_redirect_off_site(app, client):
    user = factories.user()
    response = client.post("/login?next=//evil.example/x", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"


def test_dealer_sees_only_its_own_cases(app, client):
    dealer_a = factories.org(OrganisationKind.DEALER, "Distribuidor A")
    dealer_b = factories.org(OrganisationKind.DEALER, "Distribuidor B")
    user_a = factories.user(["dealer"], organisation=dealer_a)
    own = factories.case(title="Caso propio", partner_id=dealer_a.id)
    other = factories.case(title="Caso ajeno", partner_id=dealer_b.id)
    own_id, other_id = own.id, other.id
    login(client, user_a.username)
    listing = client.get("/cases/").get_data(as_text=True)
    assert "Caso propio" in listing and "Caso ajeno" not in listing
    assert client.get(f"/cases/{other_id}").status_code == 404
    assert client.post(f"/cases/{other_id}/comment", data={"text": "intruso"}).status_code == 404
    assert client.get(f"/cases/{own_id}").status_code == 200
    assert "Caso ajeno" not in client.get("/cases/export.csv").get_data(as_text=True)


def test_dealer_cannot_open_a_case_for_another_dealer(app, client):
    dealer_a = factories.org(OrganisationKind.DEALER)
    dealer_b = factories.org(OrganisationKind.DEALER)
    user_a = factories.user(["dealer"], organisation=dealer_a)
    with app.test_request_context():
        from flask_login import login_user

        login_user(user_a)
        with pytest.raises(BusinessRuleError):
            owner_for_new_record(dealer_b.id)
        assert owner_for_new_record(None) == dealer_a.id


def test_role_without_permission_gets_403(app, client):
    user = factories.user(["technician"])
    login(client, user.username)
    assert client.get("/admin/users").status_code == 403


def test_admin_creates_user_and_bad_input_is_refused_next_to_the_field(app, client):
    admin = factories.user(["admin"])
    login(client, admin.username)
    company_id = admin.organisation_id
    bad = client.post("/admin/users/new", data={"username": "a b", "organisation_id": company_id, "password": "short"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="username-error"' in html and 'id="password-error"' in html and 'value="a b"' in html
    good = client.post("/admin/users/new", data={"username": "nuevo", "organisation_id": company_id,
                                                 "password": "long-enough-1", "active": "y"})
    assert good.status_code == 302
    assert db.session.scalar(db.select(User).where(User.username == "nuevo")) is not None


def test_profile_language_switches_the_interface(app, client):
    user = factories.user()
    login(client, user.username)
    client.post("/profile", data={"full_name": "X", "locale": "en", "timezone": "Europe/Madrid"})
    assert "Log out" in client.get("/").get_data(as_text=True)
    client.post("/profile", data={"full_name": "X", "locale": "es", "timezone": "Europe/Madrid"})
    assert "Cerrar sesión" in client.get("/").get_data(as_text=True)


def test_profile_refuses_an_unknown_time_zone(app, client):
    user = factories.user()
    login(client, user.username)
    response = client.post("/profile", data={"full_name": "X", "locale": "es", "timezone": "Mars/Olympus"})
    assert response.status_code == 422 and 'id="timezone-error"' in response.get_data(as_text=True)


def test_nul_characters_never_reach_the_database(app, client):
    user = factories.user()
    login(client, user.username)
    response = client.post("/profile", data={"full_name": "Ana\x00Mar", "locale": "es", "timezone": "Europe/Madrid"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).full_name == "AnaMar"
    assert client.get("/cases/?q=a\x00b").status_code == 200


def test_an_id_too_large_for_the_database_is_not_found(app, client):
    user = factories.user()
    login(client, user.username)
    assert client.get(f"/cases/{10**25}").status_code == 404


def test_a_user_holds_the_permissions_of_every_role(app, client):
    user = factories.user(["technician", "admin"])  # admin sorts first, technician second
    login(client, user.username)
    assert client.get("/admin/users").status_code == 200
    user2 = factories.user(["admin", "technician"])
    client2 = app.test_client()
    login(client2, user2.username)
    assert client2.get("/admin/users").status_code == 200
