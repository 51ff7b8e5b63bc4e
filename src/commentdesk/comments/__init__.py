"""Comments: the thread's posts, their revisions and reactions, status changes and rendering."""
