"""Scripts executed inside the sandbox with the learnware's own interpreter.

They import only the standard library and numpy, never ``learnware_core``.
"""
