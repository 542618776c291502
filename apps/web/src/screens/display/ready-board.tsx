import type { Language, PublicRepairDto } from '@frontdesk/contracts';
import { fixedT } from '../../lib/i18n';
import { newestFirst } from './ready-board-state';
import './ready-board.css';

/** Four slots in large type; more are counted, newest first. */
const SLOTS = 4;

/** R20261125-0007: the day's sequence is what a customer finds from five metres; the date part stays small. */
function OrderNumber({ orderNo }: { orderNo: string }) {
  const match = /^(.*-)(\d+)$/.exec(orderNo);
  return (
    <span className="ready-board__order tabular" aria-label={orderNo}>
      {match ? (
        <>
          <span className="ready-board__order-day">{match[1]}</span>
          <span className="ready-board__order-seq">{match[2]}</span>
        </>
      ) : (
        <span className="ready-board__order-seq">{orderNo}</span>
      )}
    </span>
  );
}

/** "Ready for pickup": order numbers and masked names only, newest first, readable from five metres. */
export function ReadyBoard({ ready, primary }: { ready: PublicRepairDto[]; primary: Language }) {
  const secondary: Language = primary === 'zh' ? 'en' : 'zh';
  const tp = fixedT(primary);
  const ts = fixedT(secondary);
  const sorted = [...ready].sort(newestFirst);
  const shown = sorted.slice(0, SLOTS);
  const more = sorted.length - shown.length;
  return (
    <section className="ready-board" aria-label={tp('repairs.ready.title')}>
      <header className="ready-board__header">
        <span>{tp('repairs.ready.title')}</span>
        <span className="ready-board__header-alt">{ts('repairs.ready.title')}</span>
        {more > 0 && <span className="ready-board__more">{tp('repairs.ready.more', { count: more })}</span>}
      </header>
      {shown.length === 0 ? (
        <p className="ready-board__empty">{tp('repairs.ready.empty')}</p>
      ) : (
        <ul className="ready-board__list">
          {shown.map((repair) => (
            <li key={repair.orderNo} className="ready-board__item">
              <OrderNumber orderNo={repair.orderNo} />
              <span className="ready-board__name">{repair.customerName}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
