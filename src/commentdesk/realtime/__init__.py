"""Live updates: domain events fanned out to open SSE streams."""
