import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { QRCodeSVG } from 'qrcode.react';
import type { IssuedTicketDto } from '@frontdesk/contracts';
import { fixedT } from '../../lib/i18n';
import { formatDate, formatTime, waitMinutes } from '../../lib/time-format';
import './printed-ticket.css';

export function absoluteTrackUrl(trackUrl: string): string {
  try {
    return new URL(trackUrl, window.location.origin).href;
  } catch {
    return trackUrl;
  }
}

const PAGE_STYLE_ID = 'print-ticket-page-size';
const PX_PER_MM = 96 / 25.4;

/**
 * `size: 80mm auto` (printed-ticket.css) is what we mean, but `auto` is not a
 * valid page length, so browsers fall back to the printer's default sheet. We
 * measure the rendered ticket and declare its exact length, so a roll printer
 * feeds and cuts exactly one ticket.
 */
function declarePageLength(ticket: HTMLElement): () => void {
  const lengthMm = Math.ceil(ticket.getBoundingClientRect().height / PX_PER_MM) + 4;
  document.getElementById(PAGE_STYLE_ID)?.remove();
  const style = document.createElement('style');
  style.id = PAGE_STYLE_ID;
  style.textContent = `@media print { @page { size: 80mm ${lengthMm}mm; margin: 0; } }`;
  document.head.appendChild(style);
  return () => style.remove();
}

function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface PrintedTicketProps {
  ticket: IssuedTicketDto;
  timeZone: string;
  /** Increment to print (again); 0 renders without printing. */
  printRequest: number;
}

/**
 * What goes on the 80 mm thermal roll. Always bilingual (the customer may not
 * read the language the kiosk was in), black on white, nothing else printed.
 */
export function PrintedTicket({ ticket, timeZone, printRequest }: PrintedTicketProps) {
  const zh = fixedT('zh');
  const en = fixedT('en');
  const minutes = waitMinutes(ticket.estimatedWaitSeconds);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (printRequest === 0) {
      return;
    }
    let cancelled = false;
    let removeStyle: (() => void) | null = null;
    void (async () => {
      // CJK glyph subsets load on demand: wait for them so the paper matches the screen.
      await Promise.race([document.fonts.ready, settle(1500)]);
      await settle(50);
      if (cancelled || !ref.current) {
        return;
      }
      removeStyle = declarePageLength(ref.current);
      window.print();
    })();
    return () => {
      cancelled = true;
      removeStyle?.();
    };
  }, [printRequest]);

  return createPortal(
    <div className="print-ticket" aria-hidden="true" ref={ref}>
      <div className="print-ticket__branch">{ticket.branchName.zh}</div>
      <div className="print-ticket__branch-en">{ticket.branchName.en}</div>
      <div className="print-ticket__rule" />
      <div className="print-ticket__service">
        {ticket.serviceName.zh} · {ticket.serviceName.en}
      </div>
      <div className="print-ticket__number">{ticket.number}</div>
      {ticket.priority === 'priority' && (
        <div className="print-ticket__priority">
          {zh('print.priority')} · {en('print.priority')}
        </div>
      )}
      <table className="print-ticket__facts">
        <tbody>
          <tr>
            <th>{zh('print.ahead')}</th>
            <td>{ticket.peopleAhead}</td>
            <th>{en('print.ahead')}</th>
          </tr>
          <tr>
            <th>{zh('print.estimate')}</th>
            <td>{minutes === null ? '—' : minutes}</td>
            <th>{en('print.estimate')}</th>
          </tr>
        </tbody>
      </table>
      <div className="print-ticket__qr">
        <QRCodeSVG value={absoluteTrackUrl(ticket.trackUrl)} size={144} level="M" marginSize={0} />
      </div>
      <div className="print-ticket__scan">{zh('print.scan')}</div>
      <div className="print-ticket__scan-en">{en('print.scan')}</div>
      <div className="print-ticket__rule" />
      <div className="print-ticket__time">
        {formatDate(ticket.createdAt, 'zh-CN', timeZone)} {formatTime(ticket.createdAt, timeZone)}
      </div>
      <div className="print-ticket__keep">{zh('print.keep')}</div>
      <div className="print-ticket__keep-en">{en('print.keep')}</div>
    </div>,
    document.body,
  );
}
