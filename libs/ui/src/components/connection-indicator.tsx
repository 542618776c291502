export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionIndicatorProps {
  status: ConnectionStatus;
  /** When the connection was lost; shown as "since hh:mm" while not live. */
  since?: Date | null;
  /** Texts come from the app's i18n; the component stays language-agnostic. */
  labels: Record<ConnectionStatus, string> & { since: string };
  timeZone?: string;
  size?: 'sm' | 'lg';
  className?: string;
}

function formatSince(since: Date, timeZone: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone };
  try {
    return new Intl.DateTimeFormat('en-GB', options).format(since);
  } catch {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: undefined }).format(since);
  }
}

/** Green live, amber (re)connecting, red offline — the screen's promise that what it shows is current. */
export function ConnectionIndicator({ status, since, labels, timeZone, size = 'sm', className }: ConnectionIndicatorProps) {
  const showSince = since && status !== 'live' && status !== 'connecting';
  return (
    <div className={['fd-conn', `fd-conn--${status}`, `fd-conn--${size}`, className].filter(Boolean).join(' ')} role="status" aria-live="polite">
      <span className="fd-conn__dot" aria-hidden="true" />
      <span className="fd-conn__label">{labels[status]}</span>
      {showSince && (
        <span className="fd-conn__since tabular">
          {labels.since} {formatSince(since, timeZone)}
        </span>
      )}
    </div>
  );
}
