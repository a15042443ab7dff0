// The find_slots request for the wizard's draft: the window on the user's calendar, the
// preferences, and the organisation a chosen practitioner or location belongs to.
import type { FindSlotsRequest } from "../../ipc/bindings/FindSlotsRequest";
import type { Draft } from "./draft";

/** Splits a directory pick (`<organisation id>|<id>`). */
function pick(value: string): { organisationId: string; id: string } | null {
  const bar = value.indexOf("|");
  if (bar <= 0) return null;
  return { organisationId: value.slice(0, bar), id: value.slice(bar + 1) };
}

/** The desk's offset from UTC (minutes east) on the window's first day. */
export function deskOffsetMinutes(isoDate: string): number {
  const d = new Date(`${isoDate}T00:00:00`);
  return Number.isNaN(d.getTime()) ? -new Date().getTimezoneOffset() : -d.getTimezoneOffset();
}

export function toFindRequest(d: Draft, referralId: string): FindSlotsRequest {
  const practitioner = pick(d.practitioner);
  const location = pick(d.location);
  // A directory entry is one organisation's: the same id elsewhere is someone (somewhere) else.
  const only = practitioner?.organisationId ?? location?.organisationId;
  const req: FindSlotsRequest = {
    referralId,
    organisationIds: only ? [only] : d.organisationIds,
    window: { start: d.start, end: d.end },
    utcOffsetMinutes: deskOffsetMinutes(d.start),
  };
  if (practitioner) req.practitioner = practitioner.id;
  if (location && (!practitioner || location.organisationId === practitioner.organisationId)) {
    req.location = location.id;
  }
  if (d.timeOfDay) req.timeOfDay = d.timeOfDay;
  return req;
}
