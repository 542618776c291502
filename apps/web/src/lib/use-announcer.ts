import { useEffect, useState, useSyncExternalStore } from 'react';
import { Announcer } from './announcer';

export interface AnnouncerState {
  announcer: Announcer;
  unlocked: boolean;
  speaking: string | null;
}

/** One Announcer per screen, with its audio state as React state. */
export function useAnnouncer(): AnnouncerState {
  const [announcer] = useState(() => new Announcer());
  useEffect(() => {
    announcer.revive();
    return () => announcer.dispose();
  }, [announcer]);
  const unlocked = useSyncExternalStore(
    (listener) => announcer.subscribe(listener),
    () => announcer.unlocked,
  );
  const speaking = useSyncExternalStore(
    (listener) => announcer.subscribe(listener),
    () => announcer.speaking,
  );
  return { announcer, unlocked, speaking };
}
