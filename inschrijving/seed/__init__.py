"""Demo data for `flask --app wsgi seed-demo`.

Two layers with different rules:
- reference data (the region's municipalities, the yearly income limits) is real and is added by
  its stable key (NIS code, year) to any database that lacks it;
- the demo set (landlords marked is_demo, one user per role, moments, bookings, dossiers) is
  fictitious and is only written to a database without users and moments, so a real installation
  never gains accounts with printed passwords.

The models are written directly rather than through the domain services, so the demo can show
states (checked in, completed, reported back by a landlord) that take a whole day of clicks.
"""
