"""Staff pages of the intake: the dossier list (lists.py), the dossier pages (intake.py), receipt and history
(records.py), documents, income limits, and the template filters for dossier values (filters.py)."""

from inschrijving.dossiers.views import documents, filters, intake, limits, lists, records  # noqa: F401
from inschrijving.dossiers.views.blueprint import bp

__all__ = ["bp"]
