// A time on the organisation's own clock, shown beside the desk's when the two differ (the
// offset is the one the organisation wrote the start with).
import type { SlotOption } from "../../ipc/bindings/SlotOption";

const pad = (n: number) => String(n).padStart(2, "0");

/** "09:00 at the organisation", or null when its clock reads like the desk's at that moment. */
export function organisationTime(option: Pick<SlotOption, "start" | "organisationUtcOffsetMinutes">): string | null {
  const offset = option.organisationUtcOffsetMinutes;
  const at = Date.parse(option.start);
  if (offset === undefined || offset === null || Number.isNaN(at)) return null;
  const desk = -new Date(at).getTimezoneOffset();
  if (desk === offset) return null;
  const there = new Date(at + offset * 60_000);
  const deskDay = new Date(at).getDate();
  const day = there.getUTCDate() === deskDay ? "" : ` on the ${there.getUTCDate()}${ordinal(there.getUTCDate())}`;
  return `${pad(there.getUTCHours())}:${pad(there.getUTCMinutes())}${day} at the organisation`;
}

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}
