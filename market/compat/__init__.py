"""Compatibility API for the original Beimingwu ``LearnwareClient``.

Mounted at ``/api/compat/v1/``: point the original client's ``host`` there. The
endpoints speak the original's ``{code, msg, data}`` envelope (HTTP 200 for business
errors) and reuse :mod:`market.services` for every rule; only the chunked-upload
staging the original client needs lives here (:mod:`market.compat.services`).
"""
