"""Booking: public slot booking, the private manage link, the waiting list and reminders."""
