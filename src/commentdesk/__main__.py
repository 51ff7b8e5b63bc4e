"""Allows `python -m commentdesk`."""

from commentdesk.cli import main

main()
