// A patient's or a practitioner's appointments across every organisation, with the
// organisations that could not answer listed beside the results.
import { useState } from "react";
import { Button } from "react-aria-components";
import { DateField } from "../../components/DateField";
import { ErrorBanner } from "../../components/ErrorBanner";
import { SelectInput, TextInput } from "../../components/Field";
import type { ListAppointmentsRequest } from "../../ipc/bindings/ListAppointmentsRequest";
import { hrefFor } from "../../lib/route";
import { formatDateTime } from "../../lib/time";
import { useAppointments } from "./queries";

type Kind = "patient" | "practitioner";

export function toAppointmentsRequest(
  kind: Kind,
  who: string,
  from: string,
  to: string,
): ListAppointmentsRequest | null {
  const value = who.trim();
  if (!value) return null;
  return {
    subject: kind === "patient" ? { kind, mrn: value } : { kind, reference: value },
    from: from || null,
    to: to || null,
  };
}

export function AppointmentsScreen() {
  const [kind, setKind] = useState<Kind>("patient");
  const [who, setWho] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [request, setRequest] = useState<ListAppointmentsRequest | null>(null);
  const list = useAppointments(request);
  return (
    <section aria-labelledby="appts-title" data-testid="appointments">
      <h1 id="appts-title">Appointments</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setRequest(toAppointmentsRequest(kind, who, from, to));
        }}
      >
        <SelectInput
          label="Whose"
          value={kind}
          testId="appointments-kind"
          onChange={(v) => setKind(v as Kind)}
          choices={[
            { value: "patient", label: "A patient (by MRN)" },
            { value: "practitioner", label: "A practitioner" },
          ]}
        />
        <TextInput
          label={kind === "patient" ? "MRN" : "Practitioner"}
          value={who}
          testId="appointments-who"
          onChange={setWho}
        />
        <DateField label="From" value={from} onChange={setFrom} />
        <DateField label="To" value={to} onChange={setTo} />
        <Button type="submit" className="primary" data-testid="appointments-search" isDisabled={!who.trim()}>
          Show appointments
        </Button>
      </form>
      <ErrorBanner error={list.error} />
      {list.data?.errors.map((e) => (
        <ErrorBanner key={e.organisationId} error={e.error} testId={`appointments-error-${e.organisationId}`} />
      ))}
      {list.data &&
        (list.data.appointments.length === 0 ? (
          <p data-testid="appointments-empty">No appointments found.</p>
        ) : (
          <table className="worklist">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Status</th>
                <th scope="col">Organisation</th>
                <th scope="col">Patient</th>
                <th scope="col">With</th>
                <th scope="col">Where</th>
                <th scope="col">Referral</th>
              </tr>
            </thead>
            <tbody>
              {list.data.appointments.map((a) => (
                <tr key={`${a.organisationId}/${a.appointmentId}`} data-testid="appointment-row" data-status={a.status}>
                  <td>{formatDateTime(a.start)}</td>
                  <td>{a.status}</td>
                  <td>{a.organisationName}</td>
                  <td>{a.patientName ?? "—"}</td>
                  <td>{a.practitioner ?? "—"}</td>
                  <td>{a.location ?? "—"}</td>
                  <td>{a.referralId ? <a href={hrefFor({ screen: "referral", id: a.referralId })}>Open</a> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
