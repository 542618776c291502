import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from './api-client';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Fetch again; the previous data stays visible meanwhile. */
  reload: () => void;
  setData: (data: T) => void;
}

/**
 * GET `path` with `api` on mount and whenever either changes (null = not yet).
 * Answers to superseded requests are dropped, so a fast branch switch never
 * shows the previous branch's data.
 */
export function useApiGet<T>(api: ApiClient, path: string | null): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api.get<T>(path, { signal: controller.signal }).then(
      (value) => {
        if (!controller.signal.aborted) {
          setData(value);
          setLoading(false);
        }
      },
      (err: unknown) => {
        if (!controller.signal.aborted) {
          setError(err);
          setLoading(false);
        }
      },
    );
    return () => controller.abort();
  }, [api, path, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}
