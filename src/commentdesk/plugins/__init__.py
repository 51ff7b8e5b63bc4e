"""Extension points: pluggy hookspecs and the plugin manager. Built-ins register the same way."""
