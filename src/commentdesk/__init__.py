"""Commentdesk: reader comments for news sites, self-hosted."""

__version__ = "0.1.0"
