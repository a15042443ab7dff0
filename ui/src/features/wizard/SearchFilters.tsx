// The search step's preferences: a practitioner or a location from each chosen organisation's
// own directory, and mornings or afternoons. A practitioner or location belongs to one
// organisation, so choosing one narrows the search to that organisation.
import { type Choice, SelectInput } from "../../components/Field";
import type { Organisation } from "../../ipc/bindings/Organisation";
import type { Draft } from "./draft";
import { useDirectories } from "./queries";

interface Props {
  draft: Draft;
  organisations: Organisation[];
  onChange: (p: Partial<Draft>) => void;
}

const TIMES: Choice[] = [
  { value: "morning", label: "Mornings (before 12:00)" },
  { value: "afternoon", label: "Afternoons (from 12:00)" },
];

export function SearchFilters({ draft, organisations, onChange }: Props) {
  const chosen = organisations.filter((o) => draft.organisationIds.includes(o.id));
  const directories = useDirectories(chosen.map((o) => o.id));
  const several = chosen.length > 1;
  const practitioners: Choice[] = [];
  const locations: Choice[] = [];
  const unlisted: string[] = [];
  // With a practitioner chosen, only the places they work (when their roles say).
  const picked = directories
    .flatMap((q, i) => (q.data?.practitioners ?? []).map((p) => ({ orgId: chosen[i]?.id ?? "", practitioner: p })))
    .find(({ orgId, practitioner }) => `${orgId}|${practitioner.id}` === draft.practitioner);
  const keep = (orgId: string, locationId: string) =>
    !picked ||
    picked.practitioner.locationIds.length === 0 ||
    (orgId === picked.orgId && picked.practitioner.locationIds.includes(locationId));
  directories.forEach((q, i) => {
    const org = chosen[i];
    if (!org) return;
    if (q.isError) unlisted.push(org.name);
    const at = several ? ` — ${org.name}` : "";
    for (const p of q.data?.practitioners ?? []) {
      const specialty = p.specialties.length > 0 ? ` (${p.specialties.join(", ")})` : "";
      practitioners.push({ value: `${org.id}|${p.id}`, label: `${p.name}${specialty}${at}` });
    }
    for (const l of (q.data?.locations ?? []).filter((x) => keep(org.id, x.id))) {
      const address = l.address && l.address !== l.name ? `, ${l.address}` : "";
      locations.push({ value: `${org.id}|${l.id}`, label: `${l.name}${address}${at}` });
    }
  });
  return (
    <div className="grid" data-testid="search-filters">
      <SelectInput
        label="Practitioner"
        value={draft.practitioner}
        placeholder="Any practitioner"
        choices={practitioners}
        testId="filter-practitioner"
        onChange={(v) => onChange({ practitioner: v })}
      />
      <SelectInput
        label="Location"
        value={draft.location}
        placeholder="Any location"
        choices={locations}
        testId="filter-location"
        onChange={(v) => onChange({ location: v })}
      />
      <SelectInput
        label="Time of day"
        value={draft.timeOfDay}
        placeholder="Any time"
        choices={TIMES}
        testId="filter-time-of-day"
        onChange={(v) => onChange({ timeOfDay: v === "morning" || v === "afternoon" ? v : "" })}
      />
      {unlisted.length > 0 && (
        <p className="muted" data-testid="directory-unlisted">
          {unlisted.join(", ")} did not list {unlisted.length === 1 ? "its" : "their"} practitioners; search them
          without a practitioner or location.
        </p>
      )}
    </div>
  );
}
