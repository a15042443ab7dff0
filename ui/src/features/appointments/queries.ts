// Appointments across organisations for a patient or a practitioner.
import { useQuery } from "@tanstack/react-query";
import type { ListAppointmentsRequest } from "../../ipc/bindings/ListAppointmentsRequest";
import { call } from "../../ipc/client";

export function useAppointments(request: ListAppointmentsRequest | null) {
  return useQuery({
    queryKey: ["appointments", request],
    queryFn: () => call("list_appointments", request as ListAppointmentsRequest),
    enabled: request !== null,
  });
}
