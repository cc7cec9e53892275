"""The booking rules, one topic module each: lifecycle (every transition of a booking), seats, waitlist,
notices, reminders, tokens (references and manage links), letter and content (what candidates read)."""
