// Light/dark theme: follows prefers-color-scheme unless the user picked one (saved in the
// preferences store through the ipc client).
import { useCallback, useEffect, useState } from "react";
import { loadTheme, saveTheme, type ThemePreference } from "../ipc/client";

export type { ThemePreference };

export function applyTheme(theme: ThemePreference): void {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function useTheme(): [ThemePreference, (t: ThemePreference) => void] {
  const [theme, setTheme] = useState<ThemePreference>("system");
  useEffect(() => {
    let live = true;
    void loadTheme().then((t) => {
      if (live) {
        setTheme(t);
        applyTheme(t);
      }
    });
    return () => {
      live = false;
    };
  }, []);
  const choose = useCallback((t: ThemePreference) => {
    setTheme(t);
    applyTheme(t);
    void saveTheme(t);
  }, []);
  return [theme, choose];
}
