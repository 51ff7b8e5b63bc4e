"""Moderation: reader reports and machine flags, decisions, and the audit log of status changes."""
