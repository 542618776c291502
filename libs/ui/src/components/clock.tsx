import { useMemo } from 'react';
import { useNow } from '../use-now';

export interface ClockProps {
  /** IANA zone of the branch (BranchDto.timeZone); the screen may sit elsewhere. */
  timeZone?: string;
  /** BCP 47 locale for the date line, e.g. "zh-CN" or "en-GB". */
  locale?: string;
  showSeconds?: boolean;
  showDate?: boolean;
  className?: string;
}

/** Builds a formatter, falling back to the device zone if the branch zone is unknown to this browser. */
export function makeDateTimeFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, options);
  } catch {
    const { timeZone: _ignored, ...rest } = options;
    return new Intl.DateTimeFormat(locale, rest);
  }
}

export function Clock({ timeZone, locale = 'zh-CN', showSeconds = false, showDate = true, className }: ClockProps) {
  const now = useNow(1000);
  const timeFormat = useMemo(
    () =>
      makeDateTimeFormat('en-GB', {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        second: showSeconds ? '2-digit' : undefined,
        hourCycle: 'h23',
      }),
    [timeZone, showSeconds],
  );
  const dateFormat = useMemo(() => makeDateTimeFormat(locale, { timeZone, weekday: 'short', month: 'long', day: 'numeric' }), [timeZone, locale]);
  return (
    <div className={['fd-clock', className].filter(Boolean).join(' ')} role="timer" aria-live="off">
      <time className="fd-clock__time tabular" dateTime={now.toISOString()}>
        {timeFormat.format(now)}
      </time>
      {showDate && <span className="fd-clock__date">{dateFormat.format(now)}</span>}
    </div>
  );
}
