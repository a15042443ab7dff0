// Self-test of validate.mjs: a valid body passes, typical sandbox mistakes fail with a readable
// message, and an empty capture directory is an error (capture was not switched on).
// Usage: node selftest.mjs   (exits non-zero on any surprise)
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const validator = join(dirname(fileURLToPath(import.meta.url)), "validate.mjs");
const good = {
  resourceType: "Bundle", type: "searchset", total: 1,
  entry: [{
    fullUrl: "http://127.0.0.1:1/derm/fhir/Slot/s1",
    resource: { resourceType: "Slot", id: "s1", schedule: { reference: "Schedule/a" }, status: "free",
      start: "2026-11-16T08:00:00-07:00", end: "2026-11-16T08:15:00-07:00" },
    search: { mode: "match" },
  }],
};
const bad = {
  "zoneless.json": { resourceType: "Slot", schedule: { reference: "Schedule/a" }, status: "free",
    start: "2017-08-28T08:00:00", end: "2017-08-28T08:15:00Z" },
  "invented.json": { resourceType: "Appointment", status: "booked", participant: [{ status: "accepted" }], holdExpires: "x" },
  "badcode.json": { resourceType: "Bundle", type: "searchset", total: 1,
    entry: [{ resource: { resourceType: "Appointment", status: "held", participant: [{ status: "accepted" }] } }] },
  "array.json": { resourceType: "Patient", name: { family: "Doe" } },
  "truncated.json": '{"resourceType": "Patient", "na',
};

function run(files) {
  const dir = mkdtempSync(join(tmpdir(), "schema-selftest-"));
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof body === "string" ? body : JSON.stringify(body));
  }
  const result = spawnSync(process.execPath, [validator, dir], { encoding: "utf8" });
  rmSync(dir, { recursive: true, force: true });
  return result;
}

let failures = 0;
function expect(what, ok) {
  if (!ok) { console.error(`FAIL: ${what}`); failures += 1; } else { console.log(`ok: ${what}`); }
}

const clean = run({ "good.json": good });
expect("a valid searchset passes", clean.status === 0);
const dirty = run({ "good.json": good, ...bad });
expect("invalid bodies fail the run", dirty.status === 1);
for (const name of Object.keys(bad)) expect(`${name} is reported`, dirty.stderr.includes(name));
expect("good.json is not reported", !dirty.stderr.includes("good.json"));
// Requests the desk sent (req-*): every Coverage must carry argo-coverage's required elements.
const argo = "http://fhir.org/guides/argonaut-scheduling/StructureDefinition/argo-coverage";
const coverage = {
  resourceType: "Coverage", meta: { profile: [argo] }, status: "active", subscriberId: "M1",
  payor: [{ display: "Acme" }],
  grouping: { _plan: { extension: [{ url: "http://hl7.org/fhir/StructureDefinition/data-absent-reason", valueCode: "unknown" }] },
    _planDisplay: { extension: [{ url: "http://hl7.org/fhir/StructureDefinition/data-absent-reason", valueCode: "unknown" }] } },
};
const planless = { ...coverage, grouping: undefined };
const find = { resourceType: "Parameters", parameter: [{ name: "coverage", resource: planless }] };
const conformant = run({ "good.json": good, "req-1.json": coverage });
expect("a conformant Coverage request passes", conformant.status === 0);
const unconformant = run({ "good.json": good, "req-1.json": coverage, "req-2.json": planless, "req-3.json": find });
expect("a Coverage without grouping fails, also inside Parameters",
  unconformant.status === 1 && unconformant.stderr.includes("req-2.json") && unconformant.stderr.includes("req-3.json")
  && unconformant.stderr.includes("Coverage.grouping is required"));
expect("the conformant Coverage request is not reported", !unconformant.stderr.includes("req-1.json"));
const empty = run({});
expect("an empty capture directory is an error", empty.status === 2);
process.exit(failures === 0 ? 0 : 1);
