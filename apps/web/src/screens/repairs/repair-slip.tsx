import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { QRCodeSVG } from 'qrcode.react';
import type { BranchDto, CreatedRepairDto } from '@frontdesk/contracts';
import { fixedT } from '../../lib/i18n';
import { formatDateTime } from './zoned-time';
import './repair-slip.css';

export type SlipLayout = 'a5' | 'thermal';

const PAGE_STYLE_ID = 'repair-slip-page-size';
const BODY_CLASS = 'printing-repair-slip';
const PX_PER_MM = 96 / 25.4;

export function absoluteUrl(url: string): string {
  try {
    return new URL(url, window.location.origin).href;
  } catch {
    return url;
  }
}

/**
 * The page size for this print: A5 portrait, or the roll cut to the measured length of the slip
 * (`80mm auto` is not a valid page length, so browsers would fall back to the default sheet).
 */
function declarePage(layout: SlipLayout, slip: HTMLElement): () => void {
  document.getElementById(PAGE_STYLE_ID)?.remove();
  const style = document.createElement('style');
  style.id = PAGE_STYLE_ID;
  const size = layout === 'a5' ? 'A5 portrait' : `80mm ${Math.ceil(slip.getBoundingClientRect().height / PX_PER_MM) + 4}mm`;
  style.textContent = `@media print { @page { size: ${size}; margin: 0; } }`;
  document.head.appendChild(style);
  document.body.classList.add(BODY_CLASS);
  return () => {
    style.remove();
    document.body.classList.remove(BODY_CLASS);
  };
}

interface RepairSlipProps {
  repair: CreatedRepairDto;
  branch: BranchDto;
  layout: SlipLayout;
  /** Increment to print (again); 0 renders without printing. */
  printRequest: number;
}

/**
 * The repair slip (维修记录单) the customer keeps: bilingual, black on white, with the pickup code
 * (shown only at creation) and a QR code to the public status page.
 */
export function RepairSlip({ repair, branch, layout, printRequest }: RepairSlipProps) {
  const zh = fixedT('zh');
  const en = fixedT('en');
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (printRequest === 0) {
      return;
    }
    let cancelled = false;
    let cleanup: (() => void) | null = null;
    void (async () => {
      // CJK glyph subsets load on demand: wait for them so the paper matches the screen.
      await Promise.race([document.fonts.ready, new Promise((resolve) => setTimeout(resolve, 1500))]);
      if (cancelled || !ref.current) {
        return;
      }
      cleanup = declarePage(layout, ref.current);
      window.print();
    })();
    return () => {
      cancelled = true;
      cleanup?.();
    };
  }, [printRequest, layout]);

  const row = (
    key: 'order' | 'pickupCode' | 'promised' | 'received' | 'customer' | 'device' | 'fault' | 'condition' | 'accessories' | 'warranty',
    value: string,
    strong = false,
  ) =>
    value ? (
      <tr className={strong ? 'repair-slip__strong' : undefined}>
        <th>
          {zh(`repairs.slip.${key}`)}
          <small>{en(`repairs.slip.${key}`)}</small>
        </th>
        <td>{value}</td>
      </tr>
    ) : null;

  const accessories = repair.accessories.map((a) => `${zh(`repairs.accessories.${a}`, { defaultValue: a })}`).join('、');
  return createPortal(
    <div className={`repair-slip repair-slip--${layout}`} aria-hidden="true" ref={ref}>
      <div className="repair-slip__branch">{branch.name.zh}</div>
      <div className="repair-slip__branch-en">{branch.name.en}</div>
      <div className="repair-slip__title">
        {zh('repairs.slip.title')} · {en('repairs.slip.title')}
      </div>
      <div className="repair-slip__order">{repair.orderNo}</div>
      <div className="repair-slip__code">
        <span>
          {zh('repairs.slip.pickupCode')} {en('repairs.slip.pickupCode')}
        </span>
        <strong>{repair.pickupCode}</strong>
      </div>
      <table className="repair-slip__facts">
        <tbody>
          {row('promised', formatDateTime(repair.promisedAt, 'zh-CN', branch.timeZone), true)}
          {row('received', formatDateTime(repair.createdAt, 'zh-CN', branch.timeZone))}
          {row('customer', `${repair.customer.name} ${repair.customer.phoneMasked}`)}
          {row(
            'device',
            `${repair.device.brand} ${repair.device.model}${repair.device.imei ? ` · IMEI ${repair.device.imei}` : repair.device.serial ? ` · S/N ${repair.device.serial}` : ''}`,
          )}
          {row('fault', repair.fault)}
          {row('condition', repair.condition ?? '')}
          {row('accessories', accessories)}
          {row(
            'warranty',
            `${zh(`repairs.warranty.${repair.warranty.status}`)} / ${en(`repairs.warranty.${repair.warranty.status}`)} — ${repair.warranty.reasonZh}`,
          )}
        </tbody>
      </table>
      <div className="repair-slip__qr">
        <QRCodeSVG value={absoluteUrl(repair.statusUrl)} size={144} level="M" marginSize={0} />
        <div>
          <div className="repair-slip__scan">{zh('repairs.slip.scan')}</div>
          <div className="repair-slip__scan-en">{en('repairs.slip.scan')}</div>
          <div className="repair-slip__url">{absoluteUrl(repair.statusUrl)}</div>
        </div>
      </div>
      <div className="repair-slip__warning">
        {zh('repairs.slip.dataWarning')} {en('repairs.slip.dataWarning')}
      </div>
      <div className="repair-slip__keep">
        {zh('repairs.slip.keep')}
        <br />
        {en('repairs.slip.keep')}
      </div>
      {layout === 'a5' && (
        <div className="repair-slip__signature">
          {zh('repairs.slip.signature')} / {en('repairs.slip.signature')}
        </div>
      )}
    </div>,
    document.body,
  );
}
