"""Database plumbing: engine, declarative base, sessions and migrations."""
