"""Account rules: staff users and passwords, logging in, two-factor, and the audit trail."""
