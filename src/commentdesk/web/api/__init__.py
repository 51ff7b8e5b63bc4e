"""JSON API routers, one per noun; handlers parse, resolve the actor, call one service, return."""
