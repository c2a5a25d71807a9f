"""Each hook core calls, exercised through a plugin in miniature."""
from __future__ import annotations

from datetime import timedelta

import click
import pytest
from flask.cli import AppGroup
from markupsafe import Markup

from core.demo import DemoLogin
from core.errors import BusinessRuleError
from core.hookspecs import hookimpl
from core.jobs import ScheduledJob, run_due_jobs
from core.web import Panel
from tests import factories
from tests.conftest import login


class MiniPlugin:
    def __init__(self):
        self.seen_events = []
        self.job_runs = 0

    @hookimpl
    def postventa_case_event(self, case, event):
        self.seen_events.append(event.type)
        if event.type == "case.comment" and event.payload.get("text") == "forbidden":
            raise BusinessRuleError("No such comments here.", field="text")

    @hookimpl
    def postventa_case_panels(self, case, user):
        return [Panel("Mini panel", Markup(f"<p>panel for {case.number}</p>"), order=1, id="mini")]

    @hookimpl
    def postventa_dashboard_widgets(self, user):
        return [Panel("Mini widget", Markup("<p>your queue</p>"), id="mini-widget")]

    @hookimpl
    def postventa_cli_commands(self):
        group = AppGroup("mini")

        @group.command("hello")
        def hello():
            click.echo("hello from mini")

        return [group]

    @hookimpl
    def postventa_scheduled_jobs(self):
        def run():
            self.job_runs += 1

        return [ScheduledJob("mini.job", timedelta(hours=1), run)]

    @hookimpl
    def postventa_demo_data(self, app):
        return [DemoLogin("mini", "pw", "mini_role", "Mini")]


@pytest.fixture
def mini(make_app):
    plugin = MiniPlugin()
    app = make_app(POSTVENTA_EXTRA_HOOKS=[plugin])
    with app.app_context():
        yield app, plugin


def test_postventa_case_event_sees_every_event_and_can_refuse(mini):
    app, plugin = mini
    case = factories.case()
    assert "case.opened" in plugin.seen_events
    from core.cases.services import add_comment

    with pytest.raises(BusinessRuleError):
        add_comment(case, "forbidden")


def test_refusal_from_postventa_case_event_is_shown_next_to_the_field(mini):
    app, _ = mini
    staff = factories.user(["customer_service"])
    case = factories.case()
    client = app.test_client()
    login(client, staff.username)
    response = client.post(f"/cases/{case.id}/comment", data={"text": "forbidden"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert 'id="text-error">No such comments here.' in response.get_data(as_text=True)


def test_postventa_case_panels_render_on_the_case_page(mini):
    app, _ = mini
    staff = factories.user(["customer_service"])
    case = factories.case()
    client = app.test_client()
    login(client, staff.username)
    assert f"panel for {case.number}" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_postventa_dashboard_widgets_render_on_home(mini):
    app, _ = mini
    staff = factories.user(["customer_service"])
    client = app.test_client()
    login(client, staff.username)
    assert "your queue" in client.get("/").get_data(as_text=True)


def test_postventa_cli_commands_are_added_to_flask(mini):
    app, _ = mini
    result = app.test_cli_runner().invoke(args=["mini", "hello"])
    assert result.exit_code == 0 and "hello from mini" in result.output


def test_postventa_scheduled_jobs_run_when_due(mini, clock):
    app, plugin = mini
    assert "mini.job" in run_due_jobs()
    assert "mini.job" not in run_due_jobs()
    clock.advance(hours=1)
    assert "mini.job" in run_due_jobs()
    assert plugin.job_runs == 2


def test_postventa_demo_data_logins_are_collected(mini):
    app, _ = mini
    from core.demo_data import load_all

    logins = load_all(app)
    assert any(login.username == "mini" for login in logins)
    assert any(login.username == "admin" for login in logins)  # core's own, first


def test_postventa_may_perform_work_defaults_to_allowed(make_app):
    app = make_app([])
    with app.app_context():
        user = factories.user()
        answer = app.extensions["postventa"].hook.postventa_may_perform_work(user=user, work="x", product_family=None)
        assert answer.allowed is True
