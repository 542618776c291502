import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, RepairDto, RepairStatus, RepairSummaryDto, UserDto, WarrantyStatus } from '@frontdesk/contracts';
import { WARRANTY_STATUSES } from '@frontdesk/contracts';
import { Button, StatusPill } from '@frontdesk/ui';
import { ErrorBanner } from '../../components/screen-state';
import type { ApiClient } from '../../lib/api-client';
import { LOCALE_OF, useLanguage } from '../../lib/i18n';
import { useActionRunner } from '../../lib/use-action-runner';
import { RepairNotices } from './repair-notices';
import { STATUS_TONE, WARRANTY_TONE, formatMoney, isOverdue, parseMoney } from './repair-model';
import { formatDateTime, isoToZonedInput, zonedInputToIso } from './zoned-time';

interface RepairDetailProps {
  summary: RepairSummaryDto;
  branch: BranchDto;
  api: ApiClient;
  user: UserDto | null;
  /** Technicians known from the board, for assigning someone other than oneself. */
  technicians: { id: string; name: string }[];
  onChanged: (repair: RepairSummaryDto) => void;
  onClose: () => void;
}

/** Transitions with their own controls below; the rest are plain "move to" buttons. */
const SPECIAL: ReadonlySet<RepairStatus> = new Set(['awaiting_approval', 'picked_up', 'cancelled', 'returned_unrepaired']);

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="repair-detail__section">
      <h3 className="repair-detail__section-title">{title}</h3>
      {children}
    </section>
  );
}

/** The side panel of one repair: everything a technician or the desk records, and the allowed moves. */
export function RepairDetail({ summary, branch, api, user, technicians, onChanged, onClose }: RepairDetailProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const locale = LOCALE_OF[language];
  const [full, setFull] = useState<RepairDto | null>(null);
  const { busy, failure, run, dismiss } = useActionRunner();
  const [note, setNote] = useState('');
  const [quote, setQuote] = useState('');
  const [diagnosis, setDiagnosis] = useState(summary.diagnosisNote ?? '');
  const [parts, setParts] = useState(summary.partsNote ?? '');
  const [promised, setPromised] = useState(() => isoToZonedInput(summary.promisedAt, branch.timeZone));
  const [promiseReason, setPromiseReason] = useState('');
  const [warranty, setWarranty] = useState<WarrantyStatus>(summary.warranty.status);
  const [warrantyNote, setWarrantyNote] = useState('');
  const [assignee, setAssignee] = useState('');

  // The full record (history, phone) again whenever the repair changes, here or on another screen.
  useEffect(() => {
    const controller = new AbortController();
    api.get<RepairDto>(`/api/repairs/${summary.id}`, { signal: controller.signal }).then(
      (repair) => !controller.signal.aborted && setFull(repair),
      () => undefined,
    );
    return () => controller.abort();
  }, [api, summary.id, summary.updatedAt]);

  const repair: RepairSummaryDto = full && Date.parse(full.updatedAt) >= Date.parse(summary.updatedAt) ? full : summary;
  const role = user?.role;
  const canUnlock = role === 'manager' || role === 'admin';
  const allowed = repair.allowedTransitions;
  const overdue = isOverdue(repair, new Date());

  const send = (action: string, perform: () => Promise<RepairSummaryDto | RepairDto>) =>
    void run(action, async () => {
      const result = await perform();
      onChanged(result);
      if ('history' in result) {
        setFull(result);
      }
      setNote('');
    });
  const transition = (to: RepairStatus, extra: Record<string, unknown> = {}) =>
    send(`to:${to}`, () => api.post<RepairDto>(`/api/repairs/${repair.id}/transition`, { to, ...(note.trim() ? { note: note.trim() } : {}), ...extra }));
  const patch = (action: string, body: Record<string, unknown>) => send(action, () => api.patch<RepairDto>(`/api/repairs/${repair.id}`, body));

  const quoteAmount = parseMoney(quote);
  const promisedIso = zonedInputToIso(promised, branch.timeZone);
  const promiseChanged = promisedIso !== null && promisedIso !== new Date(repair.promisedAt).toISOString();

  const moveButtons = allowed.filter((to) => !SPECIAL.has(to));
  const isQa = repair.status === 'qa';

  return (
    <aside className="repair-detail" aria-label={t('repairs.detail.title', { orderNo: repair.orderNo })}>
      <header className="repair-detail__head">
        <div>
          <div className="repair-detail__order tabular">{repair.orderNo}</div>
          <div className="repair-detail__pills">
            <StatusPill tone={STATUS_TONE[repair.status]}>{t(`repairs.status.${repair.status}`)}</StatusPill>
            {overdue && <StatusPill tone="danger">{t('repairs.overdue')}</StatusPill>}
            {repair.ticketNumber && <StatusPill tone="neutral">{t('repairs.detail.fromTicket', { number: repair.ticketNumber })}</StatusPill>}
          </div>
        </div>
        <Button size="sm" variant="ghost" onClick={onClose} aria-label={t('common.dismiss')}>
          ×
        </Button>
      </header>

      <div className="repair-detail__body">
        {repair.repeatOf && (
          <div className="repair-repeat" role="alert">
            <strong>{t('repairs.repeatTitle')}</strong>
            <span>
              {t('repairs.repeatBody', { orderNo: repair.repeatOf.orderNo, date: formatDateTime(repair.repeatOf.createdAt, locale, branch.timeZone) })}
            </span>
          </div>
        )}
        {failure && <ErrorBanner error={failure.error} onRetry={failure.retry} onDismiss={dismiss} />}

        <dl className="repair-facts">
          <dt>{t('repairs.fields.device')}</dt>
          <dd>
            {repair.device.brand} {repair.device.model}
            <small className="tabular"> {repair.device.imei ? `IMEI ${repair.device.imei}` : repair.device.serial ? `S/N ${repair.device.serial}` : ''}</small>
          </dd>
          <dt>{t('repairs.fields.customer')}</dt>
          <dd>
            {repair.customer.name} · {full ? full.customer.phone : repair.customer.phoneMasked}
          </dd>
          <dt>{t('repairs.fields.fault')}</dt>
          <dd>{repair.fault}</dd>
          {repair.condition && (
            <>
              <dt>{t('repairs.fields.condition')}</dt>
              <dd>{repair.condition}</dd>
            </>
          )}
          {repair.accessories.length > 0 && (
            <>
              <dt>{t('repairs.fields.accessories')}</dt>
              <dd>{repair.accessories.map((a) => t(`repairs.accessories.${a}`, { defaultValue: a })).join(', ')}</dd>
            </>
          )}
          <dt>{t('repairs.fields.warranty')}</dt>
          <dd>
            <StatusPill tone={WARRANTY_TONE[repair.warranty.status]}>{t(`repairs.warranty.${repair.warranty.status}`)}</StatusPill>{' '}
            <span className="repair-facts__muted">{language === 'zh' ? repair.warranty.reasonZh : repair.warranty.reason}</span>
            {repair.warranty.overridden && (
              <span className="repair-facts__muted"> · {t('repairs.detail.overridden', { note: repair.warranty.overrideNote ?? '' })}</span>
            )}
          </dd>
          <dt>{t('repairs.fields.promisedAt')}</dt>
          <dd className={overdue ? 'repair-facts__late' : undefined}>{formatDateTime(repair.promisedAt, locale, branch.timeZone)}</dd>
          {repair.quote && (
            <>
              <dt>{t('repairs.fields.quote')}</dt>
              <dd>
                {formatMoney(repair.quote.amount, repair.quote.currency, locale)} · {t(`repairs.quoteDecision.${repair.quote.decision}`)}
              </dd>
            </>
          )}
          {repair.payment && (
            <>
              <dt>{t('repairs.fields.payment')}</dt>
              <dd>
                {formatMoney(repair.payment.amount, repair.payment.currency, locale)} · {t(`repairs.payment.${repair.payment.method}`)}
              </dd>
            </>
          )}
          {repair.survey && (
            <>
              <dt>{t('repairs.fields.survey')}</dt>
              <dd>
                {'★'.repeat(repair.survey.score)}
                {'☆'.repeat(5 - repair.survey.score)} {repair.survey.comment}
              </dd>
            </>
          )}
        </dl>

        {repair.pickup.locked && (
          <div className="repair-locked" role="alert">
            <strong>{t('repairs.pickup.locked')}</strong>
            {canUnlock ? (
              <Button
                size="sm"
                variant="warning"
                busy={busy === 'unlock'}
                onClick={() => send('unlock', () => api.post<RepairDto>(`/api/repairs/${repair.id}/unlock-pickup`))}
              >
                {t('repairs.pickup.unlock')}
              </Button>
            ) : (
              <span>{t('repairs.pickup.askManager')}</span>
            )}
          </div>
        )}

        <Section title={t('repairs.detail.technician')}>
          <div className="repair-detail__row">
            <span>{repair.technician ? repair.technician.name : t('repairs.unassigned')}</span>
            {user && (user.role === 'technician' || user.role === 'manager') && repair.technician?.id !== user.id && (
              <Button size="sm" busy={busy === 'assign'} disabled={busy !== null} onClick={() => patch('assign', { technicianId: user.id })}>
                {t('repairs.detail.assignMe')}
              </Button>
            )}
            {technicians.some((tech) => tech.id !== repair.technician?.id && tech.id !== user?.id) && (
              <>
                <select className="select" value={assignee} onChange={(e) => setAssignee(e.target.value)} aria-label={t('repairs.detail.technician')}>
                  <option value="">{t('repairs.detail.assignTo')}</option>
                  {technicians
                    .filter((tech) => tech.id !== repair.technician?.id && tech.id !== user?.id)
                    .map((tech) => (
                      <option key={tech.id} value={tech.id}>
                        {tech.name}
                      </option>
                    ))}
                </select>
                <Button
                  size="sm"
                  busy={busy === 'assignOther'}
                  disabled={busy !== null || !assignee}
                  onClick={() => patch('assignOther', { technicianId: assignee })}
                >
                  {t('repairs.detail.assign')}
                </Button>
              </>
            )}
            {repair.technician && (
              <Button size="sm" variant="ghost" busy={busy === 'unassign'} disabled={busy !== null} onClick={() => patch('unassign', { technicianId: null })}>
                {t('repairs.detail.unassign')}
              </Button>
            )}
          </div>
        </Section>

        {allowed.length > 0 && (
          <Section title={t('repairs.detail.move')}>
            <label className="field">
              <span className="field__label">{t('repairs.detail.note')}</span>
              <input
                className="input"
                value={note}
                maxLength={1000}
                onChange={(e) => setNote(e.target.value)}
                placeholder={t('repairs.detail.notePlaceholder')}
              />
            </label>
            <div className="repair-detail__actions">
              {isQa && allowed.includes('ready_for_pickup') && (
                <Button variant="success" busy={busy === 'to:ready_for_pickup'} disabled={busy !== null} onClick={() => transition('ready_for_pickup')}>
                  {t('repairs.detail.qaPass')}
                </Button>
              )}
              {isQa && allowed.includes('repairing') && (
                <Button variant="warning" busy={busy === 'to:repairing'} disabled={busy !== null || !note.trim()} onClick={() => transition('repairing')}>
                  {t('repairs.detail.qaFail')}
                </Button>
              )}
              {!isQa &&
                moveButtons.map((to) => (
                  <Button key={to} variant="primary" busy={busy === `to:${to}`} disabled={busy !== null} onClick={() => transition(to)}>
                    {t('repairs.detail.moveTo', { status: t(`repairs.status.${to}`) })}
                  </Button>
                ))}
            </div>
            {isQa && !note.trim() && <p className="field__hint">{t('repairs.detail.qaFailHint')}</p>}

            {allowed.includes('awaiting_approval') && (
              <div className="repair-detail__inline">
                <label className="field">
                  <span className="field__label">{t('repairs.detail.quoteAmount')}</span>
                  <input
                    className="input"
                    inputMode="decimal"
                    value={quote}
                    onChange={(e) => setQuote(e.target.value)}
                    placeholder="280.00"
                    aria-invalid={quote !== '' && quoteAmount === null}
                  />
                </label>
                <Button
                  variant="warning"
                  busy={busy === 'to:awaiting_approval'}
                  disabled={busy !== null || quoteAmount === null}
                  onClick={() => quoteAmount !== null && transition('awaiting_approval', { quote: { amount: quoteAmount, currency: 'CNY' } })}
                >
                  {t('repairs.detail.sendQuote')}
                </Button>
              </div>
            )}

            {repair.status === 'awaiting_approval' && (
              <div className="repair-detail__actions">
                <Button
                  variant="success"
                  busy={busy === 'approve'}
                  disabled={busy !== null}
                  onClick={() =>
                    send('approve', () =>
                      api.post<RepairDto>(`/api/repairs/${repair.id}/quote-decision`, {
                        decision: 'approved',
                        next: 'repairing',
                        ...(note.trim() ? { note: note.trim() } : {}),
                      }),
                    )
                  }
                >
                  {t('repairs.detail.approved')}
                </Button>
                <Button
                  busy={busy === 'approveParts'}
                  disabled={busy !== null}
                  onClick={() =>
                    send('approveParts', () =>
                      api.post<RepairDto>(`/api/repairs/${repair.id}/quote-decision`, {
                        decision: 'approved',
                        next: 'awaiting_parts',
                        ...(note.trim() ? { note: note.trim() } : {}),
                      }),
                    )
                  }
                >
                  {t('repairs.detail.approvedParts')}
                </Button>
                <Button
                  variant="danger"
                  busy={busy === 'refuse'}
                  disabled={busy !== null}
                  onClick={() =>
                    send('refuse', () =>
                      api.post<RepairDto>(`/api/repairs/${repair.id}/quote-decision`, { decision: 'refused', ...(note.trim() ? { note: note.trim() } : {}) }),
                    )
                  }
                >
                  {t('repairs.detail.refused')}
                </Button>
              </div>
            )}

            <div className="repair-detail__actions repair-detail__actions--end">
              {allowed.includes('returned_unrepaired') && repair.status !== 'awaiting_approval' && (
                <Button
                  size="sm"
                  variant="danger"
                  busy={busy === 'to:returned_unrepaired'}
                  disabled={busy !== null || !note.trim()}
                  onClick={() => transition('returned_unrepaired')}
                >
                  {t('repairs.status.returned_unrepaired')}
                </Button>
              )}
              {allowed.includes('cancelled') && (
                <Button
                  size="sm"
                  variant="danger"
                  busy={busy === 'to:cancelled'}
                  disabled={busy !== null || !note.trim()}
                  onClick={() => transition('cancelled')}
                >
                  {t('repairs.detail.cancelOrder')}
                </Button>
              )}
            </div>
          </Section>
        )}

        <Section title={t('repairs.detail.notes')}>
          <label className="field">
            <span className="field__label">{t('repairs.fields.diagnosis')}</span>
            <textarea className="textarea" rows={2} value={diagnosis} maxLength={2000} onChange={(e) => setDiagnosis(e.target.value)} />
          </label>
          <label className="field">
            <span className="field__label">{t('repairs.fields.parts')}</span>
            <textarea className="textarea" rows={2} value={parts} maxLength={2000} onChange={(e) => setParts(e.target.value)} />
          </label>
          <Button
            size="sm"
            busy={busy === 'notes'}
            disabled={busy !== null || (diagnosis === (repair.diagnosisNote ?? '') && parts === (repair.partsNote ?? ''))}
            onClick={() => patch('notes', { diagnosisNote: diagnosis, partsNote: parts })}
          >
            {t('common.save')}
          </Button>
        </Section>

        <Section title={t('repairs.detail.promise')}>
          <div className="repair-detail__inline">
            <label className="field">
              <span className="field__label">{t('repairs.fields.promisedAt')}</span>
              <input className="input" type="datetime-local" value={promised} onChange={(e) => setPromised(e.target.value)} />
            </label>
            <label className="field repair-detail__grow">
              <span className="field__label">{t('repairs.detail.promiseReason')}</span>
              <input className="input" value={promiseReason} maxLength={500} onChange={(e) => setPromiseReason(e.target.value)} />
            </label>
            <Button
              size="sm"
              busy={busy === 'promise'}
              disabled={busy !== null || !promiseChanged || !promiseReason.trim()}
              onClick={() => promisedIso && patch('promise', { promisedAt: promisedIso, reason: promiseReason.trim() })}
            >
              {t('repairs.detail.changePromise')}
            </Button>
          </div>
        </Section>

        <Section title={t('repairs.detail.warrantyOverride')}>
          <div className="repair-detail__inline">
            <select className="select" value={warranty} onChange={(e) => setWarranty(e.target.value as WarrantyStatus)}>
              {WARRANTY_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`repairs.warranty.${status}`)}
                </option>
              ))}
            </select>
            <input
              className="input repair-detail__grow"
              value={warrantyNote}
              maxLength={500}
              placeholder={t('repairs.intake.overrideNote')}
              onChange={(e) => setWarrantyNote(e.target.value)}
            />
            <Button
              size="sm"
              busy={busy === 'warranty'}
              disabled={busy !== null || warranty === repair.warranty.status || !warrantyNote.trim()}
              onClick={() => patch('warranty', { warrantyOverride: { status: warranty, note: warrantyNote.trim() } })}
            >
              {t('common.save')}
            </Button>
          </div>
        </Section>

        {repair.notify === 'sms' && (
          <Section title={t('repairs.notices.title')}>
            <RepairNotices api={api} repairId={repair.id} version={repair.updatedAt} locale={locale} timeZone={branch.timeZone} />
          </Section>
        )}

        {full && (
          <Section title={t('repairs.detail.history')}>
            <ol className="repair-history">
              {[...full.history].reverse().map((entry, index) => (
                <li key={`${entry.at}-${index}`}>
                  <span className="repair-history__when tabular">{formatDateTime(entry.at, locale, branch.timeZone)}</span>
                  <span className="repair-history__what">
                    {entry.kind === 'status' && entry.to
                      ? `${entry.from ? t(`repairs.status.${entry.from as RepairStatus}`) : ''} → ${t(`repairs.status.${entry.to as RepairStatus}`)}`
                      : t(`repairs.history.${entry.kind}`)}
                    {entry.note ? ` — ${entry.note}` : ''}
                  </span>
                  <span className="repair-history__who">{entry.actor.name}</span>
                </li>
              ))}
            </ol>
          </Section>
        )}
      </div>
    </aside>
  );
}
