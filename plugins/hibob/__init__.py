"""The HiBob connector: employees become users, departments become groups.

The host finds it through the ``framework.connectors`` entry point
``hibob = "plugins.hibob.plugin"``; everything HiBob-specific lives in this package.
"""

__version__ = "0.1.0"
