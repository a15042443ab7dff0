// The referring clinician as the user types it (wizard and Settings), with the same checks the
// backend makes, so a bad NPI or call-back number is named beside its field before anything is sent.
import type { Referrer } from "../ipc/bindings/Referrer";

export interface ReferrerForm {
  name: string;
  npi: string;
  phone: string;
}

export const EMPTY_REFERRER: ReferrerForm = { name: "", npi: "", phone: "" };

export type ReferrerField = keyof ReferrerForm;

/** The form for a stored referrer (blank fields where none is stored). */
export function referrerForm(r: Referrer | null | undefined): ReferrerForm {
  return { name: r?.name ?? "", npi: r?.npi ?? "", phone: r?.phone ?? "" };
}

export function isBlankReferrer(r: ReferrerForm): boolean {
  return !r.name.trim() && !r.npi.trim() && !r.phone.trim();
}

/**
 * Whether `npi` passes the NPI check digit: the Luhn formula over the 9 leading digits prefixed
 * with the card issuer prefix 80840 (CMS, "NPI check digit").
 */
export function npiCheckDigitOk(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`.split("").map(Number);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Every second digit from the right (the check digit itself not doubled) is doubled.
    const fromRight = digits.length - 1 - i;
    let d = digits[i] ?? 0;
    if (fromRight % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function npiProblem(npi: string): string | null {
  const t = npi.trim();
  if (!t) return null;
  if (!/^\d{10}$/.test(t)) return "NPI: enter the 10 digits of the National Provider Identifier.";
  if (!npiCheckDigitOk(t)) return "NPI: this number is not a valid NPI (its check digit does not match). Check it.";
  return null;
}

export function phoneProblem(phone: string): string | null {
  const t = phone.trim();
  if (!t) return null;
  if (!/^[\d\s+().-]+$/.test(t)) return "Call-back phone: use digits, spaces and + ( ) - . only.";
  const digits = t.replace(/\D/g, "").length;
  if (digits < 7 || digits > 20) return "Call-back phone: enter a number of 7 to 20 digits.";
  return null;
}

/**
 * Problems with a referrer, by field. A referrer is optional as a whole; once any field is
 * filled, the name and the call-back number are needed.
 */
export function referrerProblems(r: ReferrerForm): Partial<Record<ReferrerField, string>> {
  const out: Partial<Record<ReferrerField, string>> = {};
  if (isBlankReferrer(r)) return out;
  if (!r.name.trim()) out.name = "Referring clinician: enter the clinician's name.";
  const npi = npiProblem(r.npi);
  if (npi) out.npi = npi;
  const phone = r.phone.trim()
    ? phoneProblem(r.phone)
    : "Call-back phone: enter the number the organisation calls back.";
  if (phone) out.phone = phone;
  return out;
}

/** The referrer to send, or null when the form is blank. */
export function toReferrer(r: ReferrerForm): Referrer | null {
  if (isBlankReferrer(r)) return null;
  const npi = r.npi.trim();
  return { name: r.name.trim(), npi: npi || null, phone: r.phone.trim() };
}
