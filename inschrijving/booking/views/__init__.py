"""Public pages: the home page, booking a slot, the private manage link and the waiting list."""

from inschrijving.booking.views import booking, manage, waitlist  # noqa: F401 - registers the routes
from inschrijving.booking.views.blueprint import bp

__all__ = ["bp"]
