"""Certificates (list and PDF), the reviews waiting for an owner, and the training reports
(key staff without a valid certificate, T6; dealer training plans and who is due, D5/T7)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.auth.models import Organisation, OrganisationKind
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, scoped
from core.auth.services import company
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from core.pdf import Document
from core.policies import policy
from core.web import attach_error, render_page

from ..forms import AnswerForm, DealerPlanForm
from ..models import Certificate, Course, Manual, ManualStatus, PlanStatus
from ..services import certification
from . import bp
from .common import organisations_of_kind, visible_courses


@bp.route("/certificates", endpoint="certificates")
@requires("training.certificates")
def certificate_list():
    certificates = db.session.scalars(
        scoped(select(Certificate), Certificate.org_id)
        .options(joinedload(Certificate.user), joinedload(Certificate.course), joinedload(Certificate.organisation))
        .order_by(Certificate.valid_until.desc(), Certificate.id.desc())
    ).all()
    return render_page("training/certificates.html", certificates=certificates, day=today(),
                       soon=certification.lapsing_certificates(current_user))


@bp.route("/certificates/<int:certificate_id>.pdf")
@requires("training.certificates")
def certificate_pdf(certificate_id):
    """The certificate as a PDF, in Spanish or English (``?lang=en``)."""
    certificate = get_scoped_or_404(Certificate, certificate_id, Certificate.org_id,
                                    options=(joinedload(Certificate.user), joinedload(Certificate.course),
                                             joinedload(Certificate.organisation)))
    lang = request.args.get("lang", "es")
    lang = lang if lang in ("es", "en") else "es"
    with force_locale(lang):
        course = certificate.course
        doc = Document(gettext("Training certificate"), company().name, certificate.number)
        doc.paragraph(gettext("This certifies that %(name)s, of %(org)s, has passed the course:",
                              name=certificate.user.display_name, org=certificate.organisation.name))
        doc.heading(f"{course.code} · {course.title}")
        doc.fact(gettext("Training time"), gettext("%(hours)s hours", hours=course.hours))
        doc.fact(gettext("Number"), certificate.number)
        doc.fact(gettext("Issued on"), certificate.issued_on.isoformat())
        doc.fact(gettext("Valid until"), certificate.valid_until.isoformat())
        if course.product_family:
            doc.fact(gettext("Product family"), course.product_family)
        doc.heading(gettext("Syllabus"))
        for item in course.syllabus:
            doc.paragraph(f"{item.position}. {item.topic}")
        return doc.response(f"{certificate.number}-{lang}.pdf")


@bp.route("/reviews", endpoint="reviews")
@requires("training.review")
def review_list():
    """Course plans and manual outlines waiting for the owner's answer."""
    courses = db.session.scalars(
        visible_courses().where(Course.plan_status == PlanStatus.SENT)
        .options(joinedload(Course.owner)).order_by(Course.code)
    ).all()
    manuals = db.session.scalars(
        scoped(select(Manual), Manual.customer_org_id).where(Manual.status == ManualStatus.OUTLINE_SENT)
        .options(joinedload(Manual.customer)).order_by(Manual.id)
    ).all()
    return render_page("training/reviews.html", courses=courses, manuals=manuals, answer_form=AnswerForm())


def _plan_form() -> DealerPlanForm:
    form = DealerPlanForm()
    form.dealer_org_id.choices = organisations_of_kind(OrganisationKind.DEALER)
    form.course_id.choices = [(row.id, f"{row.code} {row.title}") for row in db.session.execute(
        select(Course.id, Course.code, Course.title).order_by(Course.code))]
    return form


def _reports_page(form=None, status: int = 200):
    return render_page(
        "training/reports.html", status=status,
        uncertified=certification.key_staff_without_certificate(current_user),
        key_roles=policy("training.key_roles"),
        due=certification.dealer_training_due(current_user),
        plan_form=form or _plan_form(),
    )


@bp.route("/reports", endpoint="reports")
@requires("training.reports")
def reports():
    return _reports_page()


@bp.route("/dealer-plans", methods=["POST"])
@requires("training.manage")
def dealer_plan_add():
    form = _plan_form()
    if form.validate_on_submit():
        try:
            certification.save_dealer_plan(db.session.get(Organisation, form.dealer_org_id.data),
                                           db.session.get(Course, form.course_id.data),
                                           form.interval_months.data, form.notes.data)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Dealer training plan saved."), "success")
            return redirect(url_for("training.reports"))
    return _reports_page(form, status=422)
