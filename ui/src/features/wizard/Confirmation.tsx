// The booked appointment: printable (print stylesheet hides the rest) and exportable as .ics.
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import type { BookingConfirmation } from "../../ipc/bindings/BookingConfirmation";
import type { IcsFile } from "../../ipc/bindings/IcsFile";
import { navigate } from "../../lib/route";
import { formatDateTime } from "../../lib/time";
import { useExportIcs } from "./queries";

/** Offers the file to the browser too (the shell may already have saved it to Downloads). */
export function downloadIcs(file: IcsFile): void {
  if (typeof URL.createObjectURL !== "function") return;
  const url = URL.createObjectURL(new Blob([file.content], { type: "text/calendar;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = file.fileName;
  a.click();
  URL.revokeObjectURL(url);
}

export function Confirmation({ booking }: { booking: BookingConfirmation }) {
  const ics = useExportIcs();
  const rows: [string, string | null][] = [
    ["Patient", booking.patientName],
    ["Organisation", booking.organisationName],
    ["When", `${formatDateTime(booking.start)} – ${formatDateTime(booking.end)}`],
    ["With", booking.practitioner],
    ["Where", booking.location],
    ["Service", booking.service],
    ["Comment", booking.comment],
    ["Appointment id", booking.appointmentId],
  ];
  return (
    <section className="confirmation printable" data-testid="confirmation" data-appointment-id={booking.appointmentId}>
      <h2>Appointment booked</h2>
      <dl>
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      <ErrorBanner error={ics.error} />
      {ics.data && (
        <p role="status" data-testid="ics-saved">
          {ics.data.savedTo ? `Saved to ${ics.data.savedTo}` : `Calendar file ${ics.data.fileName} ready.`}
        </p>
      )}
      <div className="actions no-print">
        <Button data-testid="print-button" onPress={() => window.print()}>
          Print
        </Button>
        <Button
          data-testid="export-ics-button"
          isDisabled={ics.isPending}
          onPress={() =>
            ics.mutate(booking.referralId, {
              onSuccess: (f) => {
                if (!f.savedTo) downloadIcs(f);
              },
            })
          }
        >
          Export to calendar (.ics)
        </Button>
        <Button className="primary" data-testid="confirmation-done" onPress={() => navigate({ screen: "worklist" })}>
          Back to worklist
        </Button>
      </div>
    </section>
  );
}
