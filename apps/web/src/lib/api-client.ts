import type { ErrorBody, ErrorDetail } from '@frontdesk/contracts';
import { keepForRetry, keyForAttempt, settle } from './idempotency-keys';

export type ApiErrorKind = 'network' | 'timeout' | 'http';

/** Every failure the UI needs to explain: no answer at all, or the API's error body. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number | null,
    readonly body: ErrorBody | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the request may or may not have reached the server: retry with the same key. */
  get outcomeUnknown(): boolean {
    return this.kind !== 'http' || this.status === 502 || this.status === 503 || this.status === 504;
  }

  get details(): ErrorDetail[] {
    return this.body?.details ?? [];
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Identifies "the same action" for key reuse; defaults to method + path + body. */
  idempotencyScope?: string;
  headers?: Record<string, string>;
}

export interface ApiResponse<T> {
  status: number;
  /** null for 204 No Content. */
  data: T | null;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function normaliseErrorBody(status: number, statusText: string, parsed: unknown, raw: string): ErrorBody {
  if (parsed && typeof parsed === 'object') {
    const candidate = parsed as Partial<ErrorBody> & { message?: unknown };
    const message = Array.isArray(candidate.message)
      ? candidate.message.map(String).join('; ')
      : typeof candidate.message === 'string'
        ? candidate.message
        : statusText;
    return {
      statusCode: typeof candidate.statusCode === 'number' ? candidate.statusCode : status,
      error: typeof candidate.error === 'string' ? candidate.error : statusText,
      message,
      details: Array.isArray(candidate.details) ? candidate.details : undefined,
      currentState: typeof candidate.currentState === 'string' ? candidate.currentState : undefined,
      allowed: Array.isArray(candidate.allowed) ? candidate.allowed.map(String) : undefined,
    };
  }
  return { statusCode: status, error: statusText, message: raw.trim().slice(0, 200) || statusText };
}

/**
 * Thin fetch wrapper for the same-origin API. One instance per credential:
 * a signed-in user, a kiosk/display device, or nobody (public pages).
 */
export class ApiClient {
  constructor(
    private readonly getToken: () => string | null = () => null,
    private readonly onUnauthorized?: (error: ApiError) => void,
  ) {}

  get<T>(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.send<T>('GET', path, options).then((res) => res.data as T);
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.send<T>('POST', path, { ...options, body }).then((res) => res.data as T);
  }

  patch<T>(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.send<T>('PATCH', path, { ...options, body }).then((res) => res.data as T);
  }

  delete<T = void>(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.send<T>('DELETE', path, options).then((res) => res.data as T);
  }

  async send<T>(method: Method, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    const token = this.getToken();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const hasBody = options.body !== undefined;
    if (hasBody) {
      headers['Content-Type'] = 'application/json';
    }
    const mutating = method !== 'GET';
    const scope = options.idempotencyScope ?? `${method} ${path} ${hasBody ? JSON.stringify(options.body) : ''}`;
    if (mutating) {
      headers['Idempotency-Key'] = keyForAttempt(scope);
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const abortFromCaller = () => controller.abort();
    options.signal?.addEventListener('abort', abortFromCaller, { once: true });

    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: hasBody ? JSON.stringify(options.body) : undefined,
        signal: controller.signal,
        credentials: 'same-origin',
      });
    } catch (cause) {
      if (mutating) {
        keepForRetry(scope);
      }
      if (options.signal?.aborted) {
        throw cause;
      }
      throw new ApiError(timedOut ? 'timeout' : 'network', null, null, timedOut ? 'Request timed out' : 'Network unreachable');
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abortFromCaller);
    }

    const raw = response.status === 204 ? '' : await response.text().catch(() => '');
    let parsed: unknown = null;
    if (raw) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = null;
      }
    }

    if (!response.ok) {
      const body = normaliseErrorBody(response.status, response.statusText, parsed, raw);
      const error = new ApiError('http', response.status, body, body.message);
      if (mutating) {
        if (error.outcomeUnknown) {
          keepForRetry(scope);
        } else {
          settle(scope, false);
        }
      }
      if (response.status === 401) {
        this.onUnauthorized?.(error);
      }
      throw error;
    }
    if (mutating) {
      settle(scope, true);
    }
    return { status: response.status, data: (parsed ?? null) as T | null };
  }
}

/** For public pages (ticket tracking): no credential at all. */
export const publicApi = new ApiClient();
