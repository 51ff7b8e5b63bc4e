"""Follows: a reader follows a story or a comment's replies, and sees what is new for them."""
