"""The read side: queries, the list of syncs, the diff between two syncs, exploration and export.

Everything here reads a sync file written by the host; nothing here calls a plugin.
"""
