"""The authoring kit: the plugin scaffold (``connector new``) and the conformance suite (:mod:`.testing`)."""
