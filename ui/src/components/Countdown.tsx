// A live countdown to a hold's expiry (or an order's claim lease); announces the end once, politely.
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

/** The words around the time: a hold by default; a queue claim says its own. */
export interface CountdownWords {
  running: string;
  ended: string;
}

const HOLD_WORDS: CountdownWords = { running: "Held for", ended: "Hold expired" };

export function Countdown({
  expiresAt,
  testId = "hold-countdown",
  words = HOLD_WORDS,
}: {
  expiresAt: string;
  testId?: string;
  words?: CountdownWords;
}) {
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
      {left === 0 ? words.ended : `${words.running} ${formatCountdown(left)}`}
    </span>
  );
}
