"""Data-quality checks: the template's accounting identities over a Record, and package validation.

`run_checks(record)` lists what in a report does not add up; the findings are published in each
package's `checks` resource. They never make a build fail: the report is published as printed.
"""

from __future__ import annotations

from ..record import Record
from . import accounting, identity
from .rules import RULES, SEVERITIES, Finding, Rule

CHECKS = (
    accounting.check_sums,
    accounting.check_breakdowns,
    accounting.check_spending,
    accounting.check_shares,
    accounting.check_change_pct,
    accounting.check_repeats,
    accounting.check_operating_costs,
    accounting.check_subunits,
    identity.check_names,
    accounting.check_classification,
    accounting.check_metric_ids,
)

_ORDER = {s: n for n, s in enumerate(SEVERITIES)}


def run_checks(record: Record) -> list[Finding]:
    """Every finding for one record, errors first, then in the order of the catalog."""
    findings = [f for check in CHECKS for f in check(record)]
    rule_order = {r.id: n for n, r in enumerate(RULES)}
    return sorted(findings, key=lambda f: (_ORDER[f.severity], rule_order[f.rule]))


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    return {s: sum(f.severity == s for f in findings) for s in SEVERITIES}


__all__ = ["RULES", "Finding", "Rule", "run_checks", "count_by_severity"]
