import type { Language, PublicTicketDto } from '@frontdesk/contracts';
import { serviceColor } from '@frontdesk/ui';
import { counterLabel } from '../../lib/counter-name';
import { fixedT } from '../../lib/i18n';
import { formatTime } from '../../lib/time-format';

interface RecentCallsProps {
  calls: PublicTicketDto[];
  rows: number;
  primary: Language;
  timeZone: string;
  flashNumber: string | null;
}

export function RecentCalls({ calls, rows, primary, timeZone, flashNumber }: RecentCallsProps) {
  const secondary: Language = primary === 'zh' ? 'en' : 'zh';
  const tp = fixedT(primary);
  const ts = fixedT(secondary);
  return (
    <section className="recent-calls" aria-label={tp('display.recentCalls')}>
      <header className="recent-calls__header">
        <span>{tp('display.recentCalls')}</span>
        <span className="recent-calls__header-alt">{ts('display.recentCalls')}</span>
      </header>
      {calls.length === 0 ? (
        <p className="recent-calls__empty">—</p>
      ) : (
        <ol className="recent-calls__list" style={{ ['--recent-rows' as string]: rows }}>
          {calls.map((call) => (
            <li
              key={`${call.number}-${call.calledAt ?? ''}`}
              className={`recent-call recent-call--${call.status} ${call.number === flashNumber ? 'recent-call--flash' : ''}`}
              style={{ ['--fd-tone' as string]: serviceColor(call.serviceCode) }}
            >
              <span className="recent-call__number tabular">{call.number}</span>
              <span className="recent-call__counter">
                <span aria-hidden="true">→ </span>
                {counterLabel(call.counterName, primary)}
              </span>
              <span className="recent-call__time tabular">{formatTime(call.calledAt, timeZone)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
