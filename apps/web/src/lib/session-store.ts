import { useMemo, useSyncExternalStore } from 'react';
import type { DeviceKind, LoginResponse, Role } from '@frontdesk/contracts';
import { ApiClient } from './api-client';

/**
 * Where credentials live in the browser. Staff sign in and get a session; kiosks
 * and wall screens carry a device token (one per screen kind, since one browser
 * may run both a kiosk and a display in different tabs).
 */
const SESSION_KEY = 'frontdesk.session';
const DEVICE_KEY_PREFIX = 'frontdesk.deviceToken.';
const CHANGE_EVENT = 'frontdesk:session-change';

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) {
      window.localStorage.removeItem(key);
    } else {
      window.localStorage.setItem(key, value);
    }
  } catch {
    // Private mode or full storage: the session then lasts for this page only.
  }
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

let cachedRaw: string | null | undefined;
let cachedSession: LoginResponse | null = null;

export function loadSession(): LoginResponse | null {
  const raw = readStorage(SESSION_KEY);
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cachedSession = null;
    if (raw) {
      try {
        cachedSession = JSON.parse(raw) as LoginResponse;
      } catch {
        cachedSession = null;
      }
    }
  }
  if (cachedSession && Date.parse(cachedSession.expiresAt) <= Date.now()) {
    return null;
  }
  return cachedSession;
}

export function saveSession(session: LoginResponse): void {
  writeStorage(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  writeStorage(SESSION_KEY, null);
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === SESSION_KEY || event.key.startsWith(DEVICE_KEY_PREFIX)) {
      onChange();
    }
  };
  window.addEventListener(CHANGE_EVENT, onChange);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(CHANGE_EVENT, onChange);
    window.removeEventListener('storage', onStorage);
  };
}

/** The signed-in user, kept in sync across tabs. */
export function useSession(): LoginResponse | null {
  return useSyncExternalStore(subscribe, loadSession, () => null);
}

export function homePathForRole(role: Role): string {
  switch (role) {
    case 'frontdesk':
      return '/counter';
    case 'technician':
      return '/repairs';
    case 'agent':
      return '/hotline';
    case 'manager':
      return '/manager';
    case 'admin':
      return '/admin';
    default:
      return '/';
  }
}

/** API client for staff screens: a 401 means the session is gone, so drop it (the guard then shows login). */
export function useUserApi(): ApiClient {
  return useMemo(
    () =>
      new ApiClient(
        () => loadSession()?.accessToken ?? null,
        () => clearSession(),
      ),
    [],
  );
}

// ---------- Device tokens ----------

export function loadDeviceToken(kind: DeviceKind): string | null {
  return readStorage(DEVICE_KEY_PREFIX + kind);
}

export function saveDeviceToken(kind: DeviceKind, token: string | null): void {
  writeStorage(DEVICE_KEY_PREFIX + kind, token);
}

/**
 * Printed device URLs carry `?token=`. Keep the token, then take it out of the
 * address bar so it does not linger in history, screenshots or over-shoulder views.
 */
export function captureDeviceToken(kind: DeviceKind): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    saveDeviceToken(kind, fromUrl);
    url.searchParams.delete('token');
    // Keep react-router's history state so its navigation index stays valid.
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return loadDeviceToken(kind);
}
