import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  BranchDto,
  CreateRepairRequest,
  CreatedRepairDto,
  CustomerDto,
  RepairListDto,
  RepairSummaryDto,
  TicketDto,
  WarrantyStatus,
} from '@frontdesk/contracts';
import { WARRANTY_STATUSES, isValidImei, toE164Phone } from '@frontdesk/contracts';
import { REPEAT_REPAIR_DAYS, decideWarranty, defaultPromisedAt, localDay } from '@frontdesk/domain';
import { Button, Dialog, StatusPill } from '@frontdesk/ui';
import { ErrorBanner } from '../../components/screen-state';
import { isApiError, type ApiClient } from '../../lib/api-client';
import { LOCALE_OF, useLanguage } from '../../lib/i18n';
import { useActionRunner } from '../../lib/use-action-runner';
import { WARRANTY_TONE } from '../repairs/repair-model';
import { RepairSlip, type SlipLayout } from '../repairs/repair-slip';
import { formatDateTime, isoToZonedInput, zonedInputToIso } from '../repairs/zoned-time';

export const ACCESSORIES = ['charger', 'cable', 'case', 'sim_tray', 'memory_card', 'box', 'earphones', 'sim_card'] as const;
const SLIP_LAYOUT_KEY = 'frontdesk.slipLayout';

interface RepairIntakeProps {
  open: boolean;
  branch: BranchDto;
  api: ApiClient;
  /** The ticket being served: the order links to it. */
  ticket: TicketDto | null;
  onClose: () => void;
  onCreated?: (repair: CreatedRepairDto) => void;
}

interface Form {
  name: string;
  phone: string;
  altPhone: string;
  brand: string;
  model: string;
  imei: string;
  serial: string;
  fault: string;
  condition: string;
  accessories: string[];
  purchaseDate: string;
  notify: 'sms' | 'none';
  override: boolean;
  overrideStatus: WarrantyStatus;
  overrideNote: string;
  promised: string;
  warned: boolean;
}

function emptyForm(timeZone: string): Form {
  return {
    name: '',
    phone: '',
    altPhone: '',
    brand: '',
    model: '',
    imei: '',
    serial: '',
    fault: '',
    condition: '',
    accessories: [],
    purchaseDate: '',
    notify: 'sms',
    override: false,
    overrideStatus: 'in_warranty',
    overrideNote: '',
    promised: isoToZonedInput(defaultPromisedAt(new Date()).toISOString(), timeZone),
    warned: false,
  };
}

function storedLayout(): SlipLayout {
  try {
    return window.localStorage.getItem(SLIP_LAYOUT_KEY) === 'a5' ? 'a5' : 'thermal';
  } catch {
    return 'thermal';
  }
}

type ImeiState = { kind: 'empty' } | { kind: 'partial'; count: number } | { kind: 'checksum' } | { kind: 'ok' };
export function imeiState(raw: string): ImeiState {
  const digits = raw.replace(/[\s-]/g, '');
  if (!digits) {
    return { kind: 'empty' };
  }
  if (!/^\d{15}$/.test(digits)) {
    return /^\d*$/.test(digits) && digits.length < 15 ? { kind: 'partial', count: digits.length } : { kind: 'checksum' };
  }
  return isValidImei(digits) ? { kind: 'ok' } : { kind: 'checksum' };
}

function Field({
  label,
  error,
  hint,
  children,
  wide = false,
}: {
  label: string;
  error?: string | null;
  hint?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <label className={`field ${wide ? 'intake__wide' : ''}`}>
      <span className="field__label">{label}</span>
      {children}
      {error ? <span className="field__error">{error}</span> : hint ? <span className="field__hint">{hint}</span> : null}
    </label>
  );
}

/**
 * Repair intake at the counter (维修记录单), usually for the ticket being served. Everything the API
 * would refuse is checked here first (phone, IMEI check digit, purchase date), with the API's own
 * rules, and the API's 400 details are shown beside the field they name.
 */
export function RepairIntake({ open, branch, api, ticket, onClose, onCreated }: RepairIntakeProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const locale = LOCALE_OF[language];
  const [form, setForm] = useState<Form>(() => emptyForm(branch.timeZone));
  const [customer, setCustomer] = useState<CustomerDto | null | 'none'>(null);
  const [repeat, setRepeat] = useState<RepairSummaryDto | null>(null);
  const [created, setCreated] = useState<CreatedRepairDto | null>(null);
  const [layout, setLayout] = useState<SlipLayout>(storedLayout);
  const [printRequest, setPrintRequest] = useState(0);
  const { busy, failure, run, dismiss } = useActionRunner();
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const phoneE164 = form.phone.trim() ? toE164Phone(form.phone) : null;
  const altE164 = form.altPhone.trim() ? toE164Phone(form.altPhone) : null;
  const imei = imeiState(form.imei);
  const imeiDigits = form.imei.replace(/[\s-]/g, '');
  const today = localDay(new Date(), branch.timeZone);
  const futurePurchase = form.purchaseDate !== '' && form.purchaseDate > today;
  const warranty = useMemo(
    () =>
      decideWarranty({
        purchaseDate: form.purchaseDate || null,
        receivedAt: new Date(),
        timeZone: branch.timeZone,
        fault: form.fault,
        condition: form.condition,
      }),
    [form.purchaseDate, form.fault, form.condition, branch.timeZone],
  );

  // The customer record, found by phone: their earlier repairs and tickets.
  useEffect(() => {
    if (!phoneE164) {
      setCustomer(null);
      return;
    }
    const controller = new AbortController();
    api.get<CustomerDto>(`/api/customers/by-phone?phone=${encodeURIComponent(phoneE164)}&branchId=${branch.id}`, { signal: controller.signal }).then(
      (found) => {
        if (controller.signal.aborted) {
          return;
        }
        setCustomer(found);
        setForm((f) => (f.name.trim() ? f : { ...f, name: found.name }));
      },
      (error: unknown) => !controller.signal.aborted && setCustomer(isApiError(error) && error.status === 404 ? 'none' : null),
    );
    return () => controller.abort();
  }, [api, branch.id, phoneE164]);

  // The same device within 90 days is a repeat repair: say it before the order exists.
  const deviceQuery = imei.kind === 'ok' ? imeiDigits : !form.imei.trim() && form.serial.trim().length >= 4 ? form.serial.trim() : null;
  useEffect(() => {
    if (!deviceQuery) {
      setRepeat(null);
      return;
    }
    const controller = new AbortController();
    api
      .get<RepairListDto>(`/api/repairs?branchId=${branch.id}&q=${encodeURIComponent(deviceQuery)}&includeClosed=true&pageSize=10`, {
        signal: controller.signal,
      })
      .then(
        (list) => {
          if (controller.signal.aborted) {
            return;
          }
          const since = Date.now() - REPEAT_REPAIR_DAYS * 86_400_000;
          const key = deviceQuery.toUpperCase();
          const earlier = list.items
            .filter((r) => (r.device.imei ?? r.device.serial ?? '').toUpperCase() === key && Date.parse(r.createdAt) >= since && r.status !== 'cancelled')
            .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
          setRepeat(earlier[0] ?? null);
        },
        () => undefined,
      );
    return () => controller.abort();
  }, [api, branch.id, deviceQuery]);

  const serverErrors = useMemo(() => {
    const map = new Map<string, string>();
    if (failure && isApiError(failure.error)) {
      for (const detail of failure.error.details) {
        map.set(detail.path, detail.message);
      }
    }
    return map;
  }, [failure]);
  const err = (path: string, local: string | null = null) => local ?? serverErrors.get(path) ?? null;

  const promisedIso = zonedInputToIso(form.promised, branch.timeZone);
  const problems = [
    !form.name.trim(),
    !phoneE164,
    form.altPhone.trim() !== '' && !altE164,
    !form.brand.trim(),
    !form.model.trim(),
    imei.kind !== 'ok' && imei.kind !== 'empty',
    imei.kind === 'empty' && !form.serial.trim(),
    !form.fault.trim(),
    futurePurchase,
    form.override && !form.overrideNote.trim(),
    !promisedIso,
    !form.warned,
  ];
  const ready = !problems.some(Boolean);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready || !phoneE164) {
      return;
    }
    const body: CreateRepairRequest = {
      customer: { name: form.name.trim(), phone: phoneE164, ...(altE164 ? { altPhone: altE164 } : {}) },
      device: {
        brand: form.brand.trim(),
        model: form.model.trim(),
        ...(imei.kind === 'ok' ? { imei: imeiDigits } : {}),
        ...(form.serial.trim() ? { serial: form.serial.trim() } : {}),
      },
      fault: form.fault.trim(),
      ...(form.condition.trim() ? { condition: form.condition.trim() } : {}),
      accessories: form.accessories,
      ...(form.purchaseDate ? { purchaseDate: form.purchaseDate } : {}),
      ...(ticket ? { ticketId: ticket.id } : {}),
      notify: form.notify,
      ...(form.override ? { warrantyOverride: { status: form.overrideStatus, note: form.overrideNote.trim() } } : {}),
      ...(promisedIso ? { promisedAt: promisedIso } : {}),
    };
    void run('create', async () => {
      const result = await api.post<CreatedRepairDto>(`/api/branches/${branch.id}/repairs`, body);
      setCreated(result);
      setPrintRequest((n) => n + 1);
      onCreated?.(result);
    });
  };

  const reset = () => {
    setForm(emptyForm(branch.timeZone));
    setCreated(null);
    setCustomer(null);
    setRepeat(null);
    dismiss();
  };
  const close = () => {
    reset();
    onClose();
  };
  const chooseLayout = (next: SlipLayout) => {
    setLayout(next);
    try {
      window.localStorage.setItem(SLIP_LAYOUT_KEY, next);
    } catch {
      // Asked again next time.
    }
  };

  if (created) {
    return (
      <Dialog
        open={open}
        onClose={close}
        size="lg"
        title={t('repairs.intake.created', { orderNo: created.orderNo })}
        actions={
          <>
            <Button onClick={reset}>{t('repairs.intake.another')}</Button>
            <Button variant="primary" onClick={close}>
              {t('repairs.intake.done')}
            </Button>
          </>
        }
      >
        <div className="intake-done">
          {created.repeatOf && (
            <div className="repair-repeat intake-repeat" role="alert">
              <strong>{t('repairs.repeatTitle')}</strong>
              <span>
                {t('repairs.repeatBody', { orderNo: created.repeatOf.orderNo, date: formatDateTime(created.repeatOf.createdAt, locale, branch.timeZone) })}
              </span>
            </div>
          )}
          <div className="intake-done__numbers">
            <div>
              <span className="field__label">{t('repairs.slip.order')}</span>
              <div className="intake-done__order tabular">{created.orderNo}</div>
            </div>
            <div>
              <span className="field__label">{t('repairs.intake.pickupCode')}</span>
              <div className="intake-done__code tabular" data-testid="pickup-code">
                {created.pickupCode}
              </div>
              <span className="field__hint">{t('repairs.intake.pickupCodeOnce')}</span>
            </div>
            <div>
              <span className="field__label">{t('repairs.fields.promisedAt')}</span>
              <div className="intake-done__promise">{formatDateTime(created.promisedAt, locale, branch.timeZone)}</div>
            </div>
          </div>
          <p>
            <StatusPill tone={WARRANTY_TONE[created.warranty.status]}>{t(`repairs.warranty.${created.warranty.status}`)}</StatusPill>{' '}
            {language === 'zh' ? created.warranty.reasonZh : created.warranty.reason}
          </p>
          <div className="intake-done__print">
            <div className="fd-lang" role="group" aria-label={t('repairs.intake.layout')}>
              {(['thermal', 'a5'] as const).map((value) => (
                <button key={value} type="button" className="fd-lang__option" aria-pressed={layout === value} onClick={() => chooseLayout(value)}>
                  {value === 'a5' ? t('repairs.intake.layoutA5') : t('repairs.intake.layoutThermal')}
                </button>
              ))}
            </div>
            <Button variant="primary" onClick={() => setPrintRequest((n) => n + 1)}>
              {t('repairs.intake.print')}
            </Button>
          </div>
        </div>
        <RepairSlip repair={created} branch={branch} layout={layout} printRequest={printRequest} />
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title={ticket ? `${t('repairs.intake.title')} · ${t('repairs.intake.fromTicket', { number: ticket.number })}` : t('repairs.intake.title')}
      actions={
        <>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="submit" form="repair-intake-form" variant="primary" busy={busy === 'create'} disabled={!ready || busy !== null}>
            {t('repairs.intake.create')}
          </Button>
        </>
      }
    >
      <form id="repair-intake-form" className="intake" onSubmit={submit} noValidate>
        {failure && <ErrorBanner error={failure.error} onRetry={failure.retry} onDismiss={dismiss} />}
        {repeat && (
          <div className="repair-repeat intake-repeat" role="alert">
            <strong>{t('repairs.repeatTitle')}</strong>
            <span>{t('repairs.intake.repeatFound', { orderNo: repeat.orderNo, date: formatDateTime(repeat.createdAt, locale, branch.timeZone) })}</span>
          </div>
        )}

        <fieldset className="intake__group">
          <legend>{t('repairs.intake.customer')}</legend>
          <Field label={t('repairs.intake.phone')} error={err('customer.phone', form.phone.trim() && !phoneE164 ? t('repairs.intake.phoneInvalid') : null)}>
            <input
              className="input"
              name="phone"
              type="tel"
              inputMode="tel"
              autoComplete="off"
              value={form.phone}
              aria-invalid={Boolean(form.phone.trim() && !phoneE164)}
              onChange={(e) => set('phone', e.target.value)}
              autoFocus
            />
          </Field>
          <Field label={t('repairs.intake.name')} error={err('customer.name')}>
            <input className="input" name="name" autoComplete="off" value={form.name} maxLength={80} onChange={(e) => set('name', e.target.value)} />
          </Field>
          <Field
            label={t('repairs.intake.altPhone')}
            error={err('customer.altPhone', form.altPhone.trim() && !altE164 ? t('repairs.intake.phoneInvalid') : null)}
          >
            <input
              className="input"
              name="altPhone"
              type="tel"
              inputMode="tel"
              autoComplete="off"
              value={form.altPhone}
              onChange={(e) => set('altPhone', e.target.value)}
            />
          </Field>
          {customer && (
            <div className="intake-customer intake__wide" data-testid="customer-record">
              {customer === 'none' ? (
                <StatusPill tone="brand">{t('repairs.intake.newCustomer')}</StatusPill>
              ) : (
                <>
                  <StatusPill tone="success">
                    {t('repairs.intake.lookup')}
                    {customer.name ? ` · ${customer.name}` : ''}
                  </StatusPill>
                  <span className="intake-customer__list">
                    <strong>{t('repairs.intake.earlierRepairs')}:</strong>{' '}
                    {customer.repairs.length === 0
                      ? t('repairs.intake.none')
                      : customer.repairs
                          .slice(0, 5)
                          .map((r) => `${r.orderNo} ${r.device.brand} ${r.device.model} (${t(`repairs.status.${r.status}`)})`)
                          .join(' · ')}
                  </span>
                  <span className="intake-customer__list">
                    <strong>{t('repairs.intake.earlierTickets')}:</strong>{' '}
                    {customer.tickets.length === 0
                      ? t('repairs.intake.none')
                      : customer.tickets
                          .slice(0, 5)
                          .map((tk) => `${tk.number} ${formatDateTime(tk.createdAt, locale, branch.timeZone)}`)
                          .join(' · ')}
                  </span>
                </>
              )}
            </div>
          )}
        </fieldset>

        <fieldset className="intake__group">
          <legend>{t('repairs.intake.device')}</legend>
          <Field label={t('repairs.intake.brand')} error={err('device.brand')}>
            <input className="input" name="brand" value={form.brand} maxLength={60} onChange={(e) => set('brand', e.target.value)} />
          </Field>
          <Field label={t('repairs.intake.model')} error={err('device.model')}>
            <input className="input" name="model" value={form.model} maxLength={80} onChange={(e) => set('model', e.target.value)} />
          </Field>
          <Field
            label={t('repairs.intake.imei')}
            error={err('device.imei', imei.kind === 'checksum' ? t('repairs.intake.imeiChecksum') : null)}
            hint={
              imei.kind === 'ok' ? (
                <span className="intake__ok">✓ {t('repairs.intake.imeiOk')}</span>
              ) : imei.kind === 'partial' ? (
                t('repairs.intake.imeiLength', { count: imei.count })
              ) : (
                t('repairs.intake.imeiHint')
              )
            }
          >
            <input
              className="input tabular"
              name="imei"
              inputMode="numeric"
              autoComplete="off"
              value={form.imei}
              maxLength={19}
              aria-invalid={imei.kind === 'checksum'}
              onChange={(e) => set('imei', e.target.value)}
            />
          </Field>
          <Field
            label={t('repairs.intake.serial')}
            error={imei.kind === 'empty' && !form.serial.trim() && form.brand.trim() ? t('repairs.intake.needId') : err('device.serial')}
          >
            <input className="input" name="serial" value={form.serial} maxLength={64} onChange={(e) => set('serial', e.target.value)} />
          </Field>
          <Field label={t('repairs.intake.fault')} error={err('fault')} wide>
            <textarea className="textarea" name="fault" rows={2} value={form.fault} maxLength={1000} onChange={(e) => set('fault', e.target.value)} />
          </Field>
          <Field label={t('repairs.intake.condition')} error={err('condition')} wide>
            <input className="input" name="condition" value={form.condition} maxLength={1000} onChange={(e) => set('condition', e.target.value)} />
          </Field>
          <div className="field intake__wide">
            <span className="field__label">{t('repairs.intake.accessories')}</span>
            <div className="choice-grid intake-accessories">
              {ACCESSORIES.map((item) => (
                <label key={item} className="choice">
                  <input
                    type="checkbox"
                    name={`accessory-${item}`}
                    checked={form.accessories.includes(item)}
                    onChange={(e) => set('accessories', e.target.checked ? [...form.accessories, item] : form.accessories.filter((a) => a !== item))}
                  />
                  {t(`repairs.accessories.${item}`)}
                </label>
              ))}
            </div>
          </div>
        </fieldset>

        <fieldset className="intake__group">
          <legend>{t('repairs.intake.warranty')}</legend>
          <Field label={t('repairs.intake.purchaseDate')} error={err('purchaseDate', futurePurchase ? t('repairs.intake.futureDate') : null)}>
            <input
              className="input"
              name="purchaseDate"
              type="date"
              max={today}
              value={form.purchaseDate}
              aria-invalid={futurePurchase}
              onChange={(e) => set('purchaseDate', e.target.value)}
            />
          </Field>
          <div className="field intake-warranty" data-testid="warranty-preview">
            <span className="field__label">{t('repairs.intake.warrantyPreview')}</span>
            <span>
              <StatusPill tone={WARRANTY_TONE[warranty.status]}>{t(`repairs.warranty.${warranty.status}`)}</StatusPill>{' '}
              {language === 'zh' ? warranty.reasonZh : warranty.reason}
            </span>
            <label className="intake__check">
              <input type="checkbox" checked={form.override} onChange={(e) => set('override', e.target.checked)} /> {t('repairs.intake.override')}
            </label>
          </div>
          {form.override && (
            <>
              <Field label={t('repairs.intake.override')}>
                <select className="select" value={form.overrideStatus} onChange={(e) => set('overrideStatus', e.target.value as WarrantyStatus)}>
                  {WARRANTY_STATUSES.map((status) => (
                    <option key={status} value={status}>
                      {t(`repairs.warranty.${status}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('repairs.intake.overrideNote')} error={err('warrantyOverride.note')}>
                <input className="input" value={form.overrideNote} maxLength={500} onChange={(e) => set('overrideNote', e.target.value)} />
              </Field>
            </>
          )}
          <Field label={t('repairs.intake.promisedAt')} error={err('promisedAt')}>
            <input className="input" name="promisedAt" type="datetime-local" value={form.promised} onChange={(e) => set('promised', e.target.value)} />
          </Field>
          <div className="field">
            <span className="field__label">{t('repairs.intake.notify')}</span>
            <div className="fd-lang" role="group">
              {(['sms', 'none'] as const).map((value) => (
                <button key={value} type="button" className="fd-lang__option" aria-pressed={form.notify === value} onClick={() => set('notify', value)}>
                  {value === 'sms' ? t('repairs.intake.notifySms') : t('repairs.intake.notifyNone')}
                </button>
              ))}
            </div>
          </div>
        </fieldset>

        <label className={`intake-warning ${form.warned ? 'intake-warning--ok' : ''}`}>
          <input type="checkbox" name="dataWarning" checked={form.warned} onChange={(e) => set('warned', e.target.checked)} />
          <span>
            <strong>{t('repairs.intake.dataWarning')}</strong> {t('repairs.intake.dataWarningAck')}
          </span>
        </label>
      </form>
    </Dialog>
  );
}
