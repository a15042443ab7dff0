// The organisation directory, connection checks, the app's public key and the desk settings.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SaveOrganisationRequest } from "../../ipc/bindings/SaveOrganisationRequest";
import { type Commands, call } from "../../ipc/client";

export function useOrganisations(includeDisabled = false) {
  return useQuery({
    queryKey: ["organisations", includeDisabled],
    queryFn: () => call("list_organisations", { includeDisabled }),
    select: (r) => r.organisations,
  });
}

export function useSaveOrganisation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: SaveOrganisationRequest) => call("save_organisation", req),
    // The first organisation ends first run: re-read the status too.
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ["organisations"] }),
        qc.invalidateQueries({ queryKey: ["status"] }),
      ]),
  });
}

export function useRemoveOrganisation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call("remove_organisation", { id }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ["organisations"] }),
        qc.invalidateQueries({ queryKey: ["status"] }),
      ]),
  });
}

export function useCheckOrganisation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call("check_organisation", { id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["organisations"] }),
  });
}

export function useJwks() {
  return useQuery({ queryKey: ["jwks"], queryFn: () => call("get_jwks", {}) });
}

/** The desk's defaults for new referrals: the referring clinician and the follow-up days. */
export function useDeskSettings() {
  return useQuery({ queryKey: ["desk-settings"], queryFn: () => call("get_desk_settings", {}) });
}

export function useSaveDeskSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: Commands["save_desk_settings"]["request"]) => call("save_desk_settings", req),
    onSuccess: (saved) => qc.setQueryData(["desk-settings"], saved),
  });
}
