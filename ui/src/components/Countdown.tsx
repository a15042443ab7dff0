// A live countdown to a hold's expiry; announces expiry once, politely.
import { useEffect, useState } from "react";
import { formatCountdown, secondsLeft } from "../lib/time";

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function Countdown({ expiresAt, testId = "hold-countdown" }: { expiresAt: string; testId?: string }) {
  const now = useNow();
  const left = secondsLeft(expiresAt, now);
  const urgent = left > 0 && left <= 60;
  return (
    <span
      className={`countdown${urgent ? " urgent" : ""}${left === 0 ? " expired" : ""}`}
      data-testid={testId}
      data-seconds-left={left}
      aria-live={left === 0 ? "polite" : "off"}
    >
      {left === 0 ? "Hold expired" : `Held for ${formatCountdown(left)}`}
    </span>
  );
}
