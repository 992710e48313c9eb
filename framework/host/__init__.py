"""The sync host: hook specs, plugin manager, model, run context, HTTP policy and the sync driver.

This is the write path of a sync. It knows no connector and no HR words, and
it never imports the read side (:mod:`framework.read`).
"""
