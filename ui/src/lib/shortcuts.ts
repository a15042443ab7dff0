// Keyboard shortcuts for the frequent actions. Single keys only fire outside text fields.
import { useEffect } from "react";

export interface Shortcuts {
  onNew?: () => void;
  onSearch?: () => void;
  onBack?: () => void;
}

export const SHORTCUT_HELP: readonly [string, string][] = [
  ["N", "New referral"],
  ["/", "Search the worklist"],
  ["Esc", "Back / close"],
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function useShortcuts({ onNew, onSearch, onBack }: Shortcuts): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (e.key === "Escape") {
        // A dialog handles its own Escape; only go back when none is open.
        if (onBack && !document.querySelector("[role=dialog]")) onBack();
        return;
      }
      if (typing(e.target)) return;
      if ((e.key === "n" || e.key === "N") && onNew) {
        e.preventDefault();
        onNew();
      } else if (e.key === "/" && onSearch) {
        e.preventDefault();
        onSearch();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onNew, onSearch, onBack]);
}
