// The organisation directory, connection checks and the app's public key.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SaveOrganisationRequest } from "../../ipc/bindings/SaveOrganisationRequest";
import { call } from "../../ipc/client";

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
