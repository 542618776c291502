import type { TFunction } from 'i18next';
import { isApiError } from './api-client';

export interface PlainError {
  title: string;
  /** The API's own words, when they add something (they are in English). */
  detail: string | null;
  /** Worth offering "Try again": the problem may pass. */
  retryable: boolean;
  status: number | null;
}

/** Turns any failure into words for the person at the screen. */
export function describeError(error: unknown, t: TFunction): PlainError {
  if (!isApiError(error)) {
    return { title: t('errors.unknown'), detail: error instanceof Error ? error.message : null, retryable: true, status: null };
  }
  if (error.kind === 'network') {
    return { title: t('errors.network'), detail: null, retryable: true, status: null };
  }
  if (error.kind === 'timeout') {
    return { title: t('errors.timeout'), detail: null, retryable: true, status: null };
  }
  const status = error.status ?? 0;
  const details = error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  const detail = [error.body?.message, details].filter(Boolean).join(' — ') || null;
  if (status === 401) {
    return { title: t('errors.unauthorized'), detail, retryable: false, status };
  }
  if (status === 403) {
    return { title: t('errors.forbidden'), detail, retryable: false, status };
  }
  if (status === 404) {
    return { title: t('errors.notFound'), detail, retryable: false, status };
  }
  if (status === 409) {
    return { title: t('errors.conflict'), detail, retryable: false, status };
  }
  if (status === 400 || status === 422) {
    return { title: t('errors.invalid'), detail, retryable: false, status };
  }
  if (status === 429) {
    return { title: t('errors.tooMany'), detail: null, retryable: true, status };
  }
  if (status >= 500) {
    return { title: t('errors.server'), detail: null, retryable: true, status };
  }
  return { title: t('errors.unknown'), detail, retryable: true, status };
}
