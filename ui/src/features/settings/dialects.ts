// The scheduling dialects an organisation can be spoken to in (sched-client's `Dialect`), for
// the per-organisation override in Settings. "auto" detects it from the CapabilityStatement.
import type { Choice } from "../../components/Field";

export const DETECT_DIALECT = "auto";

export const DIALECT_CHOICES: readonly Choice[] = [
  { value: DETECT_DIALECT, label: "Detect automatically" },
  { value: "argonaut", label: "Argonaut Scheduling (FHIR STU3)" },
  { value: "ihe-iti", label: "IHE ITI Scheduling (FHIR R4)" },
  { value: "plain-r4", label: "Plain FHIR R4 (Slot search and Appointment create)" },
  { value: "epic", label: "Epic scheduling (STU3 $find/$book)" },
  { value: "oracle", label: "Oracle Health Millennium (FHIR R4)" },
];
