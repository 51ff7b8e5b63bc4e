"""Allows `python -m commentdesk`."""

from commentdesk.cli import main

# Guarded: a scoring process (scoring/process.py) starts by importing the parent's main module.
if __name__ == "__main__":
    main()
