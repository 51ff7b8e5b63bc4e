"""Stories: the articles that threads hang under."""
