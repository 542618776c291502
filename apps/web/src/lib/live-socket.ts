import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LIVE_NAMESPACE, ServerToClientEvents } from '@frontdesk/contracts';
import type { ConnectionStatus } from '@frontdesk/ui';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveConnection {
  status: ConnectionStatus;
  /** When the screen stopped being live (null while live or before the first connect). */
  since: Date | null;
  /** Why the server refused us, e.g. an invalid device token. */
  error: string | null;
  /** The server said this device or user was revoked: stop and show why. */
  revoked: string | null;
}

/**
 * The contract's namespace, checked against it at compile time. Importing the
 * constant itself would pull the contracts' zod schemas into every lobby screen.
 */
const NAMESPACE: typeof LIVE_NAMESPACE = '/live';

/** Grace period before "reconnecting" turns into "offline" on the indicator. */
const OFFLINE_AFTER_MS = 15_000;
/** When the server refuses the handshake, socket.io stops retrying; we keep trying slowly. */
const REFUSED_RETRY_MS = 10_000;

export function createLiveSocket(token: string | null): LiveSocket {
  return io(NAMESPACE, {
    path: '/socket.io',
    auth: token ? { token } : {},
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 5_000,
    timeout: 10_000,
  });
}

const INITIAL: LiveConnection = { status: 'connecting', since: null, error: null, revoked: null };

/**
 * One socket to /live for the lifetime of a screen, with a connection status a
 * person can read: green live, amber reconnecting, red offline since hh:mm.
 */
export function useLiveSocket(token: string | null, enabled = true): { socket: LiveSocket | null; connection: LiveConnection } {
  const [socket, setSocket] = useState<LiveSocket | null>(null);
  const [connection, setConnection] = useState<LiveConnection>(INITIAL);

  useEffect(() => {
    if (!enabled) {
      return;
    }
    const live = createLiveSocket(token);
    let offlineTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let revoked = false;

    const clearOfflineTimer = () => {
      if (offlineTimer) {
        clearTimeout(offlineTimer);
        offlineTimer = null;
      }
    };
    const markDown = (error: string | null) => {
      setConnection((prev) => {
        const since = prev.since ?? new Date();
        const status: ConnectionStatus =
          navigator.onLine === false ? 'offline' : prev.status === 'offline' ? 'offline' : prev.status === 'connecting' ? 'connecting' : 'reconnecting';
        return { ...prev, status, since, error: error ?? prev.error };
      });
      if (!offlineTimer) {
        offlineTimer = setTimeout(() => {
          offlineTimer = null;
          setConnection((prev) => (prev.status === 'live' ? prev : { ...prev, status: 'offline', since: prev.since ?? new Date() }));
        }, OFFLINE_AFTER_MS);
      }
    };
    const retryLater = (delay: number) => {
      if (retryTimer || revoked) {
        return;
      }
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (!live.connected) {
          live.connect();
        }
      }, delay);
    };

    live.on('connect', () => {
      clearOfflineTimer();
      setConnection({ status: 'live', since: null, error: null, revoked: null });
    });
    live.on('disconnect', (reason) => {
      markDown(null);
      if (reason === 'io server disconnect') {
        retryLater(2_000);
      }
    });
    live.on('connect_error', (error) => {
      markDown(error.message || 'connect_error');
      if (!live.active) {
        retryLater(REFUSED_RETRY_MS);
      }
    });
    live.on('revoked', (info) => {
      revoked = true;
      setConnection({ status: 'offline', since: new Date(), error: info.reason, revoked: info.reason || 'revoked' });
      live.disconnect();
    });

    const onBrowserOffline = () => setConnection((prev) => ({ ...prev, status: 'offline', since: prev.since ?? new Date() }));
    // Back online: try now rather than when the backoff timer says. While the
    // manager waits between attempts, connect() alone is a no-op, so restart it.
    const onBrowserOnline = () => {
      if (!live.connected && !revoked) {
        live.disconnect().connect();
      }
    };
    window.addEventListener('offline', onBrowserOffline);
    window.addEventListener('online', onBrowserOnline);

    setSocket(live);
    return () => {
      clearOfflineTimer();
      if (retryTimer) {
        clearTimeout(retryTimer);
      }
      window.removeEventListener('offline', onBrowserOffline);
      window.removeEventListener('online', onBrowserOnline);
      live.removeAllListeners();
      live.disconnect();
      setSocket(null);
      setConnection(INITIAL);
    };
  }, [token, enabled]);

  return { socket, connection };
}
