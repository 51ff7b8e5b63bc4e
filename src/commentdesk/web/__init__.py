"""The HTTP edge: JSON API, pages, static widget files. The only package that imports FastAPI."""
