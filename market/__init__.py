"""The market: learnwares, their checks, review, search and reuse."""
