"""Validates every captured R4 body (files `r4-*.json`: what the sandbox's R4 organisations
answered, and `r4-req-*.json`: what Referral Desk's client sent them) with the FHIR R4B models of
the Python package `fhir.resources` (installed in .venv by scripts/setup.sh), and exits non-zero
with a readable list of failures.

Usage: python validate_r4.py DIR     (DIR defaults to $REFDESK_CAPTURE_DIR)
       python validate_r4.py --selftest

Why R4B: `fhir.resources` ships R4B (4.3.0) and R5 models, not 4.0.1; the scheduling resources
(Appointment, Slot, Schedule, Patient, Coverage, Bundle, Parameters, OperationOutcome,
CapabilityStatement) have the same elements in 4.0.1 and 4.3.0. The models refuse unknown
elements (an STU3 `reason` or `grouping` left in an R4 body fails) and malformed primitives; they
do not check codes against required value sets, so the codes of the scheduling elements with a
required binding are checked here (REQUIRED_CODES), in nested resources too.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

from fhir.resources.R4B import get_fhir_model_class

MAX_ERRORS_PER_FILE = 8

# (resource type, dotted path) -> the codes its required binding allows.
REQUIRED_CODES = {
    ("Appointment", "status"): {
        "proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
        "entered-in-error", "checked-in", "waitlist",
    },
    ("Appointment", "participant.status"): {"accepted", "declined", "tentative", "needs-action"},
    ("Appointment", "participant.required"): {"required", "optional", "information-only"},
    ("Slot", "status"): {"busy", "free", "busy-unavailable", "busy-tentative", "entered-in-error"},
    ("Coverage", "status"): {"active", "cancelled", "draft", "entered-in-error"},
    ("Bundle", "type"): {
        "document", "message", "transaction", "transaction-response", "batch", "batch-response",
        "history", "searchset", "collection",
    },
    ("Bundle", "entry.request.method"): {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"},
    ("Bundle", "entry.search.mode"): {"match", "include", "outcome"},
    ("OperationOutcome", "issue.severity"): {"fatal", "error", "warning", "information"},
}


def values_at(node, steps):
    """Every value at the dotted path below `node` (lists are walked)."""
    if not steps:
        return node if isinstance(node, list) else [node]
    if isinstance(node, list):
        return [v for item in node for v in values_at(item, steps)]
    if not isinstance(node, dict) or steps[0] not in node:
        return []
    return values_at(node[steps[0]], steps[1:])


def nested_resources(body):
    """The body and every resource it carries (Bundle entries and outcomes, parameters)."""
    if not isinstance(body, dict):
        return []
    found = [body]
    for entry in body.get("entry", []) or []:
        if isinstance(entry, dict):
            found += nested_resources(entry.get("resource"))
            found += nested_resources((entry.get("response") or {}).get("outcome"))
    for param in body.get("parameter", []) or []:
        if isinstance(param, dict):
            found += nested_resources(param.get("resource"))
    return found


def code_problems(body):
    problems = []
    for resource in nested_resources(body):
        rtype = resource.get("resourceType")
        for (ctype, path), allowed in REQUIRED_CODES.items():
            if ctype != rtype:
                continue
            for value in values_at(resource, path.split(".")):
                if value not in allowed:
                    problems.append(f"{rtype}.{path}: '{value}' is not an R4 code")
    return problems


def problems_of(text):
    """Every problem found in one captured body (empty: valid R4)."""
    try:
        body = json.loads(text)
    except ValueError as e:
        return [f"not JSON: {e}"]
    if not isinstance(body, dict):
        return ["not a JSON object"]
    rtype = body.get("resourceType")
    try:
        model = get_fhir_model_class(str(rtype))
    except (ValueError, KeyError):
        return [f"resourceType '{rtype}' is not an R4 resource type"]
    problems = []
    try:
        model.model_validate(body)
    except Exception as e:  # pydantic's ValidationError, or a model's own ValueError
        errors = getattr(e, "errors", None)
        if callable(errors):
            for err in errors():
                where = ".".join(str(p) for p in err.get("loc", ())) or "/"
                problems.append(f"R4 {where}: {err.get('msg')}")
        else:
            problems.append(f"R4: {e}")
    return problems + code_problems(body)


def r4_files(directory):
    return sorted(p for p in Path(directory).iterdir() if p.name.startswith("r4-") and p.suffix == ".json" and p.is_file())


def check(directory):
    """Validates the directory; returns the exit status."""
    files = r4_files(directory)
    if not files:
        print(f"R4 check: no R4 bodies (r4-*.json) in {directory}: the check checked nothing", file=sys.stderr)
        return 1
    failures = []
    types = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            rtype = json.loads(text).get("resourceType")
        except (ValueError, AttributeError):
            rtype = None
        types[rtype] = types.get(rtype, 0) + 1
        problems = problems_of(text)
        if problems:
            failures.append((path, list(dict.fromkeys(problems))))
    summary = ", ".join(f"{t} {n}" for t, n in types.items())
    requests = sum(1 for p in files if p.name.startswith("r4-req-"))
    if not failures:
        print(f"R4 check: {len(files)} bodies valid R4 ({requests} sent by the desk; {summary})")
        return 0
    print(f"R4 check: {len(failures)} of {len(files)} bodies invalid ({summary})", file=sys.stderr)
    for path, problems in failures:
        print(f"\n{path}", file=sys.stderr)
        for p in problems[:MAX_ERRORS_PER_FILE]:
            print(f"  - {p}", file=sys.stderr)
        if len(problems) > MAX_ERRORS_PER_FILE:
            print(f"  ... {len(problems) - MAX_ERRORS_PER_FILE} more", file=sys.stderr)
    return 1


GOOD = {
    "resourceType": "Bundle", "type": "transaction-response",
    "entry": [{
        "resource": {"resourceType": "Appointment", "id": "a1", "status": "booked",
                     "cancelationReason": {"text": "x"}, "reasonCode": [{"text": "mole"}],
                     "basedOn": [{"reference": "ServiceRequest/1"}],
                     "participant": [{"actor": {"reference": "Patient/1"}, "status": "accepted"}]},
        "response": {"status": "201 Created", "location": "Appointment/a1/_history/1"},
    }],
}
BAD = {
    "stu3-reason": {"resourceType": "Appointment", "status": "booked", "reason": [{"text": "x"}],
                    "participant": [{"status": "accepted"}]},
    "stu3-grouping": {"resourceType": "Coverage", "status": "active", "beneficiary": {"reference": "Patient/1"},
                      "payor": [{"display": "Acme"}], "grouping": {"plan": "P"}},
    "nested-stu3": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {
        "resourceType": "Appointment", "status": "booked", "incomingReferral": [{"reference": "ReferralRequest/1"}],
        "participant": [{"status": "accepted"}]}}]},
    "held": {"resourceType": "Appointment", "status": "held", "participant": [{"status": "accepted"}]},
    "slot-status": {"resourceType": "Slot", "schedule": {"reference": "Schedule/a"}, "status": "maybe",
                    "start": "2026-01-01T09:00:00Z", "end": "2026-01-01T09:15:00Z"},
    "zoneless": {"resourceType": "Slot", "schedule": {"reference": "Schedule/a"}, "status": "free",
                 "start": "2026-01-01T09:00:00", "end": "2026-01-01T09:15:00Z"},
    "stu3-type": {"resourceType": "ReferralRequest", "status": "active"},
    "no-status": {"resourceType": "Appointment", "participant": [{"status": "accepted"}]},
}


def selftest():
    """A valid R4 body passes; each typical mistake fails, alone and in a directory."""
    surprises = []
    if problems_of(json.dumps(GOOD)):
        surprises.append(f"the valid body failed: {problems_of(json.dumps(GOOD))}")
    for name, body in BAD.items():
        if not problems_of(json.dumps(body)):
            surprises.append(f"'{name}' passed but is not valid R4")
    with tempfile.TemporaryDirectory() as d:
        if check(d) == 0:
            surprises.append("an empty directory passed")
        Path(d, "r4-1-000001.json").write_text(json.dumps(GOOD), encoding="utf-8")
        Path(d, "1-000002.json").write_text("not R4 and not checked here", encoding="utf-8")
        if check(d) != 0:
            surprises.append("a directory with one valid R4 body failed")
        Path(d, "r4-req-1-000003.json").write_text(json.dumps(BAD["stu3-grouping"]), encoding="utf-8")
        if check(d) == 0:
            surprises.append("a directory with an invalid R4 request passed")
    for s in surprises:
        print(f"R4 check self-test: {s}", file=sys.stderr)
    print(f"R4 check self-test: {'FAILED' if surprises else 'ok'}")
    return 1 if surprises else 0


def main(argv):
    if argv[1:] == ["--selftest"]:
        return selftest()
    directory = argv[1] if len(argv) > 1 else os.environ.get("REFDESK_CAPTURE_DIR")
    if not directory:
        print("usage: validate_r4.py DIR | --selftest   (or set REFDESK_CAPTURE_DIR)", file=sys.stderr)
        return 2
    return check(directory)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
