"""Scoring: scorers rate a comment (toxicity, spam, relevance...) from text and context, offline."""
