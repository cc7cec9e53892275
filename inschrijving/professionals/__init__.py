"""Professionals: info moments for social workers (find, register, attend) and the worker's list of bookings."""
