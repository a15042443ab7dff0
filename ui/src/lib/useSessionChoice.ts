// A choice among a few fixed values remembered for the app session (sessionStorage: gone when
// the app closes), e.g. the results shown as a list or a week.
import { useCallback, useState } from "react";

function read<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const saved = window.sessionStorage.getItem(key);
    return allowed.find((a) => a === saved) ?? fallback;
  } catch {
    // Storage can be unavailable (private modes); the choice then lasts as long as the screen.
    return fallback;
  }
}

export function useSessionChoice<T extends string>(
  key: string,
  allowed: readonly T[],
  fallback: T,
): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => read(key, allowed, fallback));
  const choose = useCallback(
    (next: T) => {
      setValue(next);
      try {
        window.sessionStorage.setItem(key, next);
      } catch {
        // Not remembered beyond this screen; nothing else depends on it.
      }
    },
    [key],
  );
  return [value, choose];
}
