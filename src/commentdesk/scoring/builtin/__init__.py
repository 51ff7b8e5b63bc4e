"""The built-in scorers: models trained by `commentdesk train` from public data, shipped with
the package, run offline."""
