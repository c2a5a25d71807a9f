"""The contract between the Postventa core and its plugins.

Every hook a plugin may implement is declared here, and only here. A plugin
implements a hook with a module-level function of the same name decorated with
``@hookimpl`` (``from core.hookspecs import hookimpl``); it may leave out any
argument it does not need (pluggy passes arguments by name).

Rules that hold for every hook:

* Results of "collecting" hooks are lists of lists, one per plugin; core flattens
  and *sorts* them (by ``order`` then name) so nothing depends on the order in
  which plugins were registered.
* Hooks marked ``firstresult`` stop at the first implementation that returns
  something other than ``None``. Core's own default, where it has one, is a
  ``trylast`` implementation, so any plugin replaces it.
* Hooks run inside the caller's database transaction: a reaction that raises
  rolls back the change that caused it.

The plugin author's guide in README.md documents each hook; a test fails when a
hook here is missing from the guide or has no test of its own.
"""
from __future__ import annotations

import pluggy

PROJECT = "postventa"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- Wiring: what a plugin adds to the app ---------------------------------------

@hookspec
def postventa_blueprints():
    """Flask blueprints the plugin serves.

    :return: a list of :class:`flask.Blueprint`. Give each a ``url_prefix`` and a
        ``template_folder`` whose files live under ``templates/<plugin name>/`` so
        two plugins never shadow each other's templates. Every view must declare
        its access with :func:`core.auth.permissions.requires` (or ``public``);
        the route sweep test fails on a view that does not.
    """


@hookspec
def postventa_cli_commands():
    """Click commands or groups added to ``flask``.

    :return: a list of :class:`click.Command`; each is added with
        ``app.cli.add_command``. Use ``flask.cli.AppGroup`` so the command runs
        inside the app context.
    """


@hookspec
def postventa_policy_defaults():
    """The plugin's configurable policies and their defaults.

    :return: a dict ``{"<plugin>.<name>": default}``; names must be unique across
        plugins. Deployments override them in ``POSTVENTA_POLICIES``; code reads
        them with :func:`core.policies.policy`. Every number from DOMAIN.md is one.
    """


# --- People and access ------------------------------------------------------------

@hookspec
def postventa_permissions():
    """Permissions the plugin checks.

    :return: a list of :class:`core.auth.permissions.Permission` (a dotted name
        such as ``"dealers.claim.approve"`` and a translatable label).
    """


@hookspec
def postventa_default_roles():
    """Default roles and the permissions they hold.

    :return: a dict ``{role name: [permission names]}``. Roles with the same name
        from several plugins are merged (union). ``flask roles sync`` (and
        enabling a plugin) creates missing roles and adds missing grants; it never
        removes a grant an administrator added.
    """


@hookspec
def postventa_menu_items(user):
    """Navigation entries for the current user.

    :param user: the logged-in :class:`core.auth.models.User`.
    :return: a list of :class:`core.web.MenuItem`. Core drops entries whose
        ``permission`` the user lacks, so a plugin may return them all.
    """


# --- The shared case timeline -----------------------------------------------------

@hookspec
def postventa_timeline_event_types():
    """Event types the plugin writes to case timelines.

    :return: a list of :class:`core.cases.timeline.EventType`. Writing an event of a
        type no enabled plugin registered raises
        :class:`core.cases.timeline.UnknownEventType`. Each type names the template
        that renders one event (``<plugin>/events/<name>.html``, given ``event``).
    """


@hookspec
def postventa_case_panels(case, user):
    """Panels shown on the case page, between the header and the timeline.

    :param case: the :class:`core.cases.models.Case` being shown.
    :param user: the current user (check their permissions before revealing data).
    :return: a list of :class:`core.web.Panel` (title, rendered HTML, order), or an
        empty list. Each panel must issue a constant number of SQL queries,
        however long the case's history is.
    """


@hookspec
def postventa_case_event(case, event):
    """React to an event just appended to a case timeline.

    Called for every event, after it is added to the session and before commit.

    :param case: the case.
    :param event: the new :class:`core.cases.models.TimelineEvent`.
    :return: nothing. Raise :class:`core.errors.BusinessRuleError` to refuse the
        change (it is rolled back).
    """


@hookspec
def postventa_dashboard_widgets(user):
    """Widgets on the home dashboard (queues, overdue lists, counters).

    :param user: the current user.
    :return: a list of :class:`core.web.Panel`.
    """


# --- Deadlines ---------------------------------------------------------------------

@hookspec
def postventa_deadline_policies():
    """Response clocks the plugin declares.

    :return: a list of :class:`core.deadlines.DeadlinePolicy`: a name, a duration
        (or the name of a policy holding minutes), the event types that start,
        meet, pause and resume it, an optional ``applies(case, event)`` predicate and
        a calendar. Core starts, pauses and stops clocks from timeline events and
        ``flask deadlines run`` records each breach once.
    """


@hookspec
def postventa_deadline_breached(clock, case):
    """Escalate a clock that has just breached.

    Called once per breach, in the same transaction that records the
    ``deadline.breached`` event, so a worker killed mid-way never escalates twice.

    :param clock: the :class:`core.deadlines.DeadlineClock` (``clock.policy`` is
        the name of its policy).
    :param case: its case.
    :return: nothing.
    """


@hookspec
def postventa_scheduled_jobs():
    """Periodic jobs, run by ``flask jobs run`` (call it from cron every minute).

    :return: a list of :class:`core.jobs.ScheduledJob` (name, interval, function).
        A job runs when its interval has passed since its last recorded run.
    """


# --- Demo data -------------------------------------------------------------------

@hookspec
def postventa_demo_data(app):
    """Load the plugin's demo records (Spanish, a living system).

    Called by ``flask demo load`` once per plugin, in dependency order, so a
    plugin finds the records of the plugins it depends on.

    :param app: the Flask app (an app context is active; use its clock).
    :return: a list of :class:`core.demo.DemoLogin` the plugin created, printed
        with their passwords at the end of the load.
    """


# --- Facts that plugins exchange (so none imports another's models) ---------------

@hookspec
def postventa_installed_units(organisation_id):
    """Equipment installed for, or sold by, an organisation.

    :param organisation_id: a customer's or a dealer's organisation id.
    :return: a list of :class:`core.facts.InstalledUnit`. The warranty plugin
        answers for customers, the dealers plugin for the units a dealer sold.
    """


@hookspec
def postventa_parts_consumed(case, organisation_id, lines, reference):
    """Parts were used on a repair or a claim.

    :param case: the case the work belongs to (may be ``None``).
    :param organisation_id: whose stock the parts came from (the company or a
        dealer).
    :param lines: a list of :class:`core.facts.PartLine`.
    :param reference: a human reference of the source record (``"claim 42"``).
    :return: nothing. The inventory plugin issues the stock; it raises
        :class:`core.errors.BusinessRuleError` when the stock is short.
    """


@hookspec
def postventa_old_part_appraised(part_number, serial, usable, quantity, reference):
    """An old part came back and was appraised.

    :param part_number: the part's number.
    :param serial: the old part's serial (may be empty).
    :param usable: whether it goes to the usable or the unusable warehouse (D17).
    :param quantity: how many.
    :param reference: a human reference of the source record.
    :return: nothing. The inventory plugin books it into the designated warehouse.
    """


@hookspec(firstresult=True)
def postventa_part_price(part_number, price_kind):
    """The price of a part.

    :param part_number: the part's number.
    :param price_kind: ``"list"``, ``"cost"`` or ``"preferential"`` (W6).
    :return: a :class:`decimal.Decimal`, or ``None`` when unknown. First result wins.
    """


@hookspec(firstresult=True)
def postventa_part_service_life(part_number):
    """The normal service life of a part, in months (W5).

    :param part_number: the part's number.
    :return: an ``int`` number of months, or ``None`` when unknown. First result wins.
    """


@hookspec(firstresult=True)
def postventa_may_perform_work(user, work, product_family):
    """May this person do this work? (T6 authorisation by certification).

    :param user: the person (a :class:`core.auth.models.User`).
    :param work: the kind of work, e.g. ``"warranty.repair"`` or ``"dealers.claim"``.
    :param product_family: the product family concerned, or ``None``.
    :return: a :class:`core.facts.Authorisation`, or ``None`` when no rule
        applies (core's ``trylast`` default allows). First result wins.
    """


@hookspec
def postventa_dealer_scorecard_facts(organisation_id, since):
    """Facts about a dealer's conduct that other plugins know (D12).

    :param organisation_id: the dealer's organisation id.
    :param since: a date; count only what happened from then on.
    :return: a list of :class:`core.facts.ScoreFact`. The inventory plugin reports
        declined or missed reserve plans; the dealers plugin reads them into its
        scorecard.
    """
