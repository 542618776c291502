import { useEffect, useState } from 'react';

/**
 * The current time, re-rendered every `intervalMs`. Ticks are aligned to the
 * wall-clock boundary so several clocks on one screen change together.
 */
export function useNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const current = Date.now();
      setNow(new Date(current));
      timer = setTimeout(tick, intervalMs - (current % intervalMs) + 5);
    };
    timer = setTimeout(tick, intervalMs - (Date.now() % intervalMs) + 5);
    return () => clearTimeout(timer);
  }, [intervalMs]);
  return now;
}
