import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallbackDto, HotlineCallDto } from '@frontdesk/contracts';
import { Button } from '@frontdesk/ui';
import { isApiError, type ApiClient } from '../../lib/api-client';
import { formatTime } from '../../lib/time-format';

function inAnHour(): string {
  const d = new Date(Date.now() + 3600_000);
  d.setSeconds(0, 0);
  // datetime-local wants the browser's local time without a zone.
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** DOMAIN.md: take a message — name, phone, the issue read back, and the caller's preferred callback time. */
export function CallbackForm({ api, branchId, timeZone, call, onCreated }: { api: ApiClient; branchId: string; timeZone: string; call: HotlineCallDto | null; onCreated: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [dueAt, setDueAt] = useState(inAnHour);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The due time of the callback just scheduled, shown in the branch's time and the current language.
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (call?.callerNumber) setPhone(call.callerNumber);
  }, [call?.callerNumber]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setDone(null);
    try {
      const created = await api.post<CallbackDto>('/api/callbacks', {
        branchId,
        phone,
        name: name.trim() || undefined,
        dueAt: new Date(dueAt).toISOString(),
        reason: 'promised',
        callId: call?.callId,
        note: note.trim() || undefined,
      });
      setDone(created.dueAt);
      setName('');
      setNote('');
      onCreated();
    } catch (error) {
      const fields: Record<string, string> = {};
      if (isApiError(error)) for (const d of error.details) fields[d.path] = d.message;
      if (Object.keys(fields).length === 0) fields.form = isApiError(error) ? error.message : String(error);
      setErrors(fields);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="hotline-form" onSubmit={(e) => void submit(e)}>
      <h2>{t('hotline.form.title')}</h2>
      <label className="field">
        <span className="field__label">{t('hotline.form.name')}</span>
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
      </label>
      <label className="field">
        <span className="field__label">{t('hotline.form.phone')}</span>
        <input className="input" value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" required aria-invalid={Boolean(errors.phone)} />
        {errors.phone && <span className="field__error">{errors.phone}</span>}
      </label>
      <label className="field">
        <span className="field__label">{t('hotline.form.when')}</span>
        <input className="input" type="datetime-local" value={dueAt} onChange={(e) => setDueAt(e.target.value)} required aria-invalid={Boolean(errors.dueAt)} />
        {errors.dueAt && <span className="field__error">{errors.dueAt}</span>}
      </label>
      <label className="field">
        <span className="field__label">{t('hotline.form.note')}</span>
        <textarea className="input" rows={3} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </label>
      {errors.form && <p className="field__error">{errors.form}</p>}
      {done && <p className="hotline-form__done">{t('hotline.form.saved', { time: formatTime(done, timeZone) })}</p>}
      <Button type="submit" variant="primary" busy={busy}>
        {t('hotline.form.submit')}
      </Button>
    </form>
  );
}
