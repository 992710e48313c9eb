"""A local HiBob API simulator for tests, demos and benchmarks.

It serves a :class:`Company` over real HTTP on 127.0.0.1 with HiBob's quirks
(double-encoded people-search records, silent omission of forbidden fields,
401s with empty bodies, HTML for wrong paths, per-endpoint rate limits, named
lists nested to any depth), can inject faults and serve scripted answers, so a connector is exercised
without ever calling HiBob::

    with Simulator(demo_company()) as sim:
        requests.post(f"{sim.base_url}/people/search", json={}, auth=(sim.service_user_id, sim.token))
"""

from plugins.hibob.simulator.auth import ALL_CATEGORIES, DEMO_SERVICE_USER_ID, DEMO_TOKEN, ServiceUser
from plugins.hibob.simulator.company import Company, Department, DepartmentId, Employee, FlatDepartment
from plugins.hibob.simulator.demo import demo_company
from plugins.hibob.simulator.edge_cases import EdgeCases, find_edge_cases
from plugins.hibob.simulator.faults import FAULT_KINDS, Fault, FaultPlan
from plugins.hibob.simulator.fields import CUSTOM_FIELD_ID, FIELDS
from plugins.hibob.simulator.generate import generated_company
from plugins.hibob.simulator.responses import ApiRequest, RecordedRequest
from plugins.hibob.simulator.scripted import Scripted, ScriptedAnswers
from plugins.hibob.simulator.server import Simulator

__all__ = [
    "ALL_CATEGORIES",
    "CUSTOM_FIELD_ID",
    "DEMO_SERVICE_USER_ID",
    "DEMO_TOKEN",
    "FAULT_KINDS",
    "FIELDS",
    "ApiRequest",
    "Company",
    "Department",
    "DepartmentId",
    "EdgeCases",
    "Employee",
    "Fault",
    "FaultPlan",
    "FlatDepartment",
    "RecordedRequest",
    "Scripted",
    "ScriptedAnswers",
    "ServiceUser",
    "Simulator",
    "demo_company",
    "find_edge_cases",
    "generated_company",
]
