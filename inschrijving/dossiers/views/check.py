"""The public, anonymous "Kom ik in aanmerking?" page: a few questions, nothing stored."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request

from inschrijving.dossiers import eligibility, forms, services
from inschrijving.dossiers.views import check_bp


def facts_from_answers(form: forms.CheckForm, on: date) -> eligibility.HouseholdFacts:
    """Turn the anonymous answers into the same facts the intake uses."""
    register = {"yes": "population", "no": "waiting"}.get(form.registered.data, "unknown")
    tenant = eligibility.PersonFacts(
        role="reference_tenant",
        birth_year=on.year - (18 if form.adult.data == "yes" else 16),
        birth_month=1,
        birth_day=1,
        register_type=register,
        has_recognised_disability=form.disabled.data == "yes",
    )
    persons = [tenant]
    if form.partner.data == "yes":
        persons.append(eligibility.PersonFacts(role="partner", register_type=register))
    disabled_children = form.disabled_children.data or 0
    for index in range(form.dependants.data or 0):
        persons.append(
            eligibility.PersonFacts(
                role="child", is_dependant=True, has_recognised_disability=index < disabled_children
            )
        )
    # One amount for the couple: counted on the reference tenant, the partner adds nothing.
    incomes = [
        eligibility.IncomeFacts(role="reference_tenant", income_year=on.year - 3, reference_total=form.income.data)
    ]
    if form.partner.data == "yes":
        incomes.append(eligibility.IncomeFacts(role="partner", income_year=on.year - 3, reference_total=Decimal(0)))
    has_property = form.property.data != "no"
    properties = ()
    if has_property:
        exception = "other" if form.property.data == "exception" else None
        properties = (
            eligibility.PropertyFacts("full_ownership", exception=exception, has_proof=exception is not None),
        )
    return eligibility.HouseholdFacts(
        registration_date=on,
        persons=tuple(persons),
        incomes=tuple(incomes),
        assets_total=form.savings.data,
        has_property=has_property,
        properties=properties,
    )


@check_bp.route("/check")
def check():
    """Ask a few questions and explain, per condition, what the answers mean. Nothing is stored."""
    form = forms.CheckForm(request.args if "adult" in request.args else None)
    findings = None
    today = datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()
    if "adult" in request.args and form.validate():
        limits = services.limits_from_model(services.get_income_limit(today.year))
        facts = facts_from_answers(form, today)
        shown = (
            eligibility.Condition.AGE,
            eligibility.Condition.REGISTER,
            eligibility.Condition.INCOME,
            eligibility.Condition.MEANS_TEST,
            eligibility.Condition.PROPERTY,
        )
        findings = [f for f in eligibility.assess(facts, limits) if f.condition in shown]
    return render_template("dossiers/check.html", form=form, findings=findings, year=today.year)
