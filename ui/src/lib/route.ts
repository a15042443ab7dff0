// Hash routes: small enough not to need a router library.
import { useEffect, useState } from "react";

export type Route =
  | { screen: "worklist" }
  | { screen: "new" }
  | { screen: "referral"; id: string }
  | { screen: "appointments" }
  | { screen: "settings" };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  switch (parts[0]) {
    case "new":
      return { screen: "new" };
    case "referral":
      return parts[1] ? { screen: "referral", id: decodeURIComponent(parts[1]) } : { screen: "worklist" };
    case "appointments":
      return { screen: "appointments" };
    case "settings":
      return { screen: "settings" };
    default:
      return { screen: "worklist" };
  }
}

export function hrefFor(route: Route): string {
  return route.screen === "referral"
    ? `#/referral/${encodeURIComponent(route.id)}`
    : route.screen === "worklist"
      ? "#/"
      : `#/${route.screen}`;
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
