"""The accounts pages: login and logout (auth.py), one's own account (account.py), user management (manage.py)."""

from inschrijving.accounts.views import account, auth, manage  # noqa: F401  (each registers its pages on bp)
from inschrijving.accounts.views.blueprint import bp

__all__ = ["bp"]
