"""The Skeleton connector: Skeleton users become users, teams become groups with a member entitlement.

Generated from the connector-framework plugin template (``connector new``);
README.md says what to change. The host finds the plugin through the
``framework.connectors`` entry point in pyproject.toml, which names
:mod:`plugins._template.plugin`.
"""

__version__ = "0.1.0"
