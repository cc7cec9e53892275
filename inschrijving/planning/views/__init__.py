"""Staff pages for planning moments and running the day, plus the token-protected staff calendar feed."""

from inschrijving.planning.views import capacity, day, info_moments, moments, statistics  # noqa: F401 - registers the routes
from inschrijving.planning.views.blueprint import bp, feed_bp

__all__ = ["bp", "feed_bp"]
