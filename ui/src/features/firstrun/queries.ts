// App status and the first-run sandbox setup.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { call } from "../../ipc/client";

export function useAppStatus() {
  return useQuery({ queryKey: ["status"], queryFn: () => call("app_status", {}) });
}

export function useSetupSandbox() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call("setup_sandbox", {}),
    onSuccess: () => qc.invalidateQueries(),
  });
}
