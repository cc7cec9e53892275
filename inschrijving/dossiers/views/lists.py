"""The dossier list: every dossier (or a moment's), filtered and searched, one page at a time, with the count."""

from __future__ import annotations

from flask import abort, render_template, request

from inschrijving.dossiers.forms.lists import DossierListForm
from inschrijving.dossiers.queries import DossierFilter
from inschrijving.dossiers.services import checklist, reads
from inschrijving.dossiers.views.blueprint import bp
from inschrijving.extensions import db
from inschrijving.planning.queries import moments as moment_queries
from inschrijving.web import current_actor, dossier_scope_for_current_user


@bp.route("/")
def index():
    """List dossiers (national numbers masked), filtered and paged, in a fixed number of queries."""
    form = DossierListForm(request.args, moments=moment_queries.list_moment_choices())
    criteria = form.criteria() if form.validate() else DossierFilter()
    # The moment asked for, even when it is no choice: an unknown moment or an info moment (no dossiers) is a 404.
    moment = moment_queries.get_moment(form.moment.data) if form.moment.data else None
    if form.moment.data and (moment is None or not moment.takes_dossiers):
        abort(404)
    page = reads.view_dossier_list(criteria, page=request.args.get("pagina", 1, type=int), actor=current_actor(),
                                   scope=dossier_scope_for_current_user())
    missing = {d.id: checklist.missing_items(d) for d in page.items}
    # Only the form's own fields go into the page links (url_for would take "endpoint" or "_external" as its own).
    filters = {name: request.args[name] for name in form.data if name in request.args and request.args[name]}
    html = render_template("dossiers/index.html", form=form, moment=moment, page=page, dossiers=page.items,
                           missing=missing, filters=filters)
    db.session.commit()
    return html
