"""Planning rules, one topic module each: slots (from opening blocks, the default booking window), moments
(their life and series), capacity, staff (team and calendar feed) and day (the day list as staff open it).

Shared constants, exceptions and plain result types are in `base`. What happens to a booking is the
booking domain's (`booking.services.lifecycle`); planning calls it.
"""
