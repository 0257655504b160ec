"""Settings: ``base`` is everything (driven by the environment); ``test`` overrides."""
