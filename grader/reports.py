"""Machine-readable reports of a grading run, for CI systems and classroom tools.

``junit_xml`` writes the JUnit XML that GitHub Actions, GitLab, Jenkins and most CI dashboards read:
one ``<testcase>`` per suite test, ``<failure>`` for a wrong answer, ``<error>`` for code that raised or
timed out, ``<skipped>`` for code not started yet; points and the seed are recorded as properties.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from grader.engine import GradeReport

_ERROR_STATUSES = ("error", "timeout")


def junit_xml(report: GradeReport) -> str:
    """The report as a JUnit XML document (a ``<testsuites>`` with one ``<testsuite>``)."""
    failures = sum(test.status == "failed" for test in report.tests)
    errors = sum(test.status in _ERROR_STATUSES for test in report.tests)
    skipped = sum(test.status == "not_started" for test in report.tests)
    suites = ElementTree.Element("testsuites")
    suite = ElementTree.SubElement(
        suites, "testsuite",
        name=f"ml-grade.{report.exercise}", tests=str(len(report.tests)), failures=str(failures),
        errors=str(errors), skipped=str(skipped),
    )
    properties = ElementTree.SubElement(suite, "properties")
    for name, value in (("file", str(report.file)), ("seed", report.seed), ("score", report.score), ("max_score", report.max_score)):
        ElementTree.SubElement(properties, "property", name=name, value=str(value))
    for test in report.tests:
        case = ElementTree.SubElement(suite, "testcase", classname=f"ml-grade.{report.exercise}", name=test.name)
        case_properties = ElementTree.SubElement(case, "properties")
        for name, value in (("description", test.description), ("score", test.score), ("max_score", test.max_score)):
            ElementTree.SubElement(case_properties, "property", name=name, value=str(value))
        details = "\n".join(part for part in (test.message, f"at {test.where}" if test.where else "") if part)
        if test.status == "failed":
            ElementTree.SubElement(case, "failure", message=test.description).text = details
        elif test.status in _ERROR_STATUSES:
            ElementTree.SubElement(case, "error", message=test.description, type=test.status).text = details
        elif test.status == "not_started":
            ElementTree.SubElement(case, "skipped", message=test.message or "not started")
        if test.printed:
            ElementTree.SubElement(case, "system-out").text = test.printed
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def parse_min_score(text: str) -> tuple[float, bool]:
    """``"80%"`` -> (80.0, True): a share of the points; ``"12"`` -> (12.0, False): points."""
    percent = text.strip().endswith("%")
    number = text.strip().removesuffix("%").strip()
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"expected points (e.g. 12) or a percentage (e.g. 80%), got {text!r}") from None
    if value < 0 or (percent and value > 100):
        raise ValueError(f"expected points >= 0 or a percentage from 0% to 100%, got {text!r}")
    return value, percent


def meets_min_score(report: GradeReport, value: float, percent: bool) -> bool:
    needed = value / 100.0 * report.max_score if percent else value
    return report.score >= needed - 1e-9
