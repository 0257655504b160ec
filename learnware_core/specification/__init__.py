"""Semantic and statistical specifications."""
