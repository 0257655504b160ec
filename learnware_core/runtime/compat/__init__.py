"""Put this folder on ``sys.path`` to make the compatibility ``learnware`` importable.

Packages written for the original ``learnware`` package import
``learnware.model.BaseModel``; the sandbox provides this small stand-in instead of
installing the original (with its torch, transformers ... dependencies).
"""
