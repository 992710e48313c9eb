"""The SCIM 2.0 connector: any service provider's users and groups, read-only.

SCIM (RFC 7643 and RFC 7644) is how most SaaS applications expose their
accounts, so this one connector reads dozens of systems. The host finds it
through the ``framework.connectors`` entry point ``scim = "plugins.scim.plugin"``.

Payloads are read with `scim2-models <https://scim2-models.readthedocs.io>`_,
the models of the SCIM standard itself, rather than marshmallow schemas of our
own: they already declare every attribute of the User, Group, EnterpriseUser,
ListResponse, ServiceProviderConfig and ResourceType schemas with the RFC's
characteristics (``returned: always`` makes a missing ``id`` an error), and
they read a response as their authors intend, in the query-response context,
under a :class:`~scim2_models.ScimPolicy` that ignores the vendor attributes
real providers add. Writing those schemas again in marshmallow would be a
second, less complete copy of the standard.
"""

__version__ = "0.1.0"
