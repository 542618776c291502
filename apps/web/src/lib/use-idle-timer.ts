import { useEffect, useRef } from 'react';

/** Calls `onIdle` after `ms` without a touch, click or key press (kiosks hand over to the next person). */
export function useIdleTimer(ms: number, onIdle: () => void, active: boolean): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!active) {
      return;
    }
    let timer = setTimeout(() => onIdleRef.current(), ms);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(() => onIdleRef.current(), ms);
    };
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    events.forEach((name) => window.addEventListener(name, reset, { passive: true }));
    return () => {
      clearTimeout(timer);
      events.forEach((name) => window.removeEventListener(name, reset));
    };
  }, [ms, active]);
}
