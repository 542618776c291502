import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@frontdesk/ui';
import { describeError } from '../lib/error-message';

export function ScreenLoading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="screen-state" role="status" aria-live="polite">
      <div className="screen-state__spinner" aria-hidden="true" />
      <p>{label ?? t('common.loading')}</p>
    </div>
  );
}

export interface CenteredMessageProps {
  title: ReactNode;
  message?: ReactNode;
  detail?: ReactNode;
  tone?: 'neutral' | 'warning' | 'danger';
  actions?: ReactNode;
}

export function CenteredMessage({ title, message, detail, tone = 'neutral', actions }: CenteredMessageProps) {
  return (
    <div className={`screen-state screen-state--${tone}`} role={tone === 'danger' ? 'alert' : 'status'}>
      <div className="screen-state__card">
        <h1 className="screen-state__title">{title}</h1>
        {message && <p className="screen-state__message">{message}</p>}
        {detail && <p className="screen-state__detail">{detail}</p>}
        {actions && <div className="screen-state__actions">{actions}</div>}
      </div>
    </div>
  );
}

/** Full-screen failure with the API's reason and a retry when it may help. */
export function ScreenError({ error, onRetry, extra }: { error: unknown; onRetry?: () => void; extra?: ReactNode }) {
  const { t } = useTranslation();
  const plain = describeError(error, t);
  return (
    <CenteredMessage
      tone="danger"
      title={plain.title}
      detail={plain.detail}
      message={extra}
      actions={
        onRetry && plain.retryable ? (
          <Button variant="primary" size="lg" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

/** Inline banner for a failed action; the server's 409 message is shown as is. */
export function ErrorBanner({ error, onRetry, onDismiss }: { error: unknown; onRetry?: () => void; onDismiss?: () => void }) {
  const { t } = useTranslation();
  const plain = describeError(error, t);
  return (
    <div className="error-banner" role="alert">
      <div className="error-banner__text">
        <strong>{plain.title}</strong>
        {plain.detail && <span className="error-banner__detail">{plain.detail}</span>}
      </div>
      <div className="error-banner__actions">
        {onRetry && plain.retryable && (
          <Button size="sm" variant="primary" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
        {onDismiss && (
          <Button size="sm" variant="ghost" onClick={onDismiss} aria-label={t('common.dismiss')}>
            ×
          </Button>
        )}
      </div>
    </div>
  );
}
