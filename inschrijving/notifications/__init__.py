"""Notifications: the transactional e-mail outbox and its delivery."""
