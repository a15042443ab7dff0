// What an organisation supports, as read by the last connection check.
import type { CapabilityReport } from "../../ipc/bindings/CapabilityReport";
import type { CheckStep } from "../../ipc/bindings/CheckStep";
import { formatDateTime } from "../../lib/time";

function Step({ name, step }: { name: string; step: CheckStep }) {
  return (
    <li data-testid={`check-${name.toLowerCase()}`} data-ok={step.ok}>
      <span className={step.ok ? "ok" : "bad"}>{step.ok ? "✓" : "✗"}</span> {name}: {step.detail}
    </li>
  );
}

export function CapabilityReportView({ report }: { report: CapabilityReport }) {
  return (
    <div className="capability" data-testid="capability-report">
      <p className="muted">Checked {formatDateTime(report.checkedAt)}</p>
      <ul>
        <Step name="Discovery" step={report.discovery} />
        <Step name="Token" step={report.token} />
        <Step name="Metadata" step={report.metadata} />
      </ul>
      <dl className="facts">
        <div>
          <dt>FHIR version</dt>
          <dd>{report.fhirVersion ?? "unknown"}</dd>
        </div>
        <div>
          <dt>Dialect</dt>
          <dd data-testid="capability-dialect">
            {report.dialectLabel ?? report.dialect ?? "unknown"}
            {report.dialectReason ? ` — ${report.dialectReason}` : ""}
          </dd>
        </div>
        <div>
          <dt>Operations</dt>
          <dd data-testid="capability-operations">
            {report.operations.length ? report.operations.map((o) => `$${o}`).join(", ") : "none"}
          </dd>
        </div>
        <div>
          <dt>Cancel formats</dt>
          <dd>{report.patchFormats.join(", ") || "none declared"}</dd>
        </div>
        <div>
          <dt>Holds</dt>
          <dd data-testid="capability-hold">{report.holdSupported ? "supported" : "not supported (books directly)"}</dd>
        </div>
      </dl>
    </div>
  );
}
