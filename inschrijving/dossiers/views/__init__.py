"""Staff pages of the intake: the dossier pages (intake.py), documents, income limits, template filters."""

from inschrijving.dossiers.views import documents, filters, intake, limits  # noqa: F401  (they register on bp)
from inschrijving.dossiers.views.blueprint import bp

__all__ = ["bp"]
