"""Files copied into deploy bundles (:mod:`market.bundles`); run.py runs there."""
