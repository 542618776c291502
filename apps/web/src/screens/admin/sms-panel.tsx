import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DevSmsDto, Language, NotificationTemplate, NotifySettings, SmsPreviewDto, SmsTemplateDto } from '@frontdesk/contracts';
import { NOTIFICATION_TEMPLATES } from '@frontdesk/contracts';
import { Button, StatusPill } from '@frontdesk/ui';
import { ErrorBanner, ScreenLoading } from '../../components/screen-state';
import { isApiError, type ApiClient } from '../../lib/api-client';
import { useActionRunner } from '../../lib/use-action-runner';
import { useApiGet } from '../../lib/use-resource';

const PREVIEW_DELAY_MS = 300;

/** Manager: the branch's SMS texts with a live preview, quiet hours and reminders, and what the dev provider recorded. */
export function SmsPanel({ api, branchId, timeZone }: { api: ApiClient; branchId: string; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const templates = useApiGet<SmsTemplateDto[]>(api, `/api/branches/${branchId}/sms-templates`);
  const settings = useApiGet<NotifySettings>(api, `/api/branches/${branchId}/notify-settings`);
  const outbox = useApiGet<DevSmsDto[]>(api, `/api/branches/${branchId}/dev-sms?limit=5`);
  const [template, setTemplate] = useState<NotificationTemplate>('pickup_ready');
  const [language, setLanguage] = useState<Language>('zh');
  const [draft, setDraft] = useState<string | null>(null);
  const [preview, setPreview] = useState<SmsPreviewDto | null>(null);
  const [bodyError, setBodyError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [quiet, setQuiet] = useState<{ quietStart: string; quietEnd: string; reminderDays: string; lobbyNearSms: boolean } | null>(null);
  const { busy, failure, run, dismiss } = useActionRunner();

  const current = templates.data?.find((x) => x.template === template && x.language === language);
  const text = draft ?? current?.body ?? '';

  useEffect(() => {
    if (settings.data) setQuiet({ quietStart: settings.data.quietStart, quietEnd: settings.data.quietEnd, reminderDays: settings.data.reminderDays.join(', '), lobbyNearSms: settings.data.lobbyNearSms });
  }, [settings.data]);

  // The preview follows the text as it is typed; a bad placeholder shows as the field's error instead.
  useEffect(() => {
    if (!text.trim()) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.post<SmsPreviewDto>(`/api/branches/${branchId}/sms-templates/${template}/${language}/preview`, { body: text }, { signal: controller.signal }).then(
        (p) => {
          setPreview(p);
          setBodyError(null);
        },
        (error: unknown) => {
          if (!controller.signal.aborted && isApiError(error)) setBodyError(error.details[0]?.message ?? error.message);
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, branchId, template, language, text]);

  if (!templates.data || !settings.data || !quiet) {
    return <section className="admin-card sms-panel">{templates.error ? <ErrorBanner error={templates.error} onRetry={templates.reload} /> : <ScreenLoading />}</section>;
  }

  const choose = (next: NotificationTemplate, lang: Language) => {
    setTemplate(next);
    setLanguage(lang);
    setDraft(null);
    setSaved(false);
  };
  const replace = (updated: SmsTemplateDto) => {
    templates.setData(templates.data!.map((x) => (x.template === updated.template && x.language === updated.language ? updated : x)));
    setDraft(null);
    setSaved(true);
  };
  const save = () =>
    void run('save', async () => {
      const res = await api.send<SmsTemplateDto>('PUT', `/api/branches/${branchId}/sms-templates/${template}/${language}`, { body: { body: text } });
      replace(res.data!);
    });
  const reset = () => void run('reset', async () => replace(await api.delete<SmsTemplateDto>(`/api/branches/${branchId}/sms-templates/${template}/${language}`)));
  const saveQuiet = () =>
    void run('quiet', async () => {
      const reminderDays = quiet.reminderDays
        .split(/[,，\s]+/)
        .filter(Boolean)
        .map(Number);
      settings.setData(await api.patch<NotifySettings>(`/api/branches/${branchId}/notify-settings`, { quietStart: quiet.quietStart, quietEnd: quiet.quietEnd, reminderDays, lobbyNearSms: quiet.lobbyNearSms }));
    });

  return (
    <section className="admin-card sms-panel" aria-labelledby="sms-title">
      <header className="admin-card__head">
        <h2 id="sms-title">{t('admin.sms.title')}</h2>
        <p>{t('admin.sms.lead')}</p>
      </header>
      {failure && <ErrorBanner error={failure.error} onRetry={failure.retry} onDismiss={dismiss} />}
      <div className="sms-panel__grid">
        <div className="sms-panel__editor">
          <div className="sms-panel__pick" role="tablist">
            {NOTIFICATION_TEMPLATES.map((name) => (
              <button key={name} type="button" role="tab" aria-selected={name === template} className="sms-panel__tab" onClick={() => choose(name, language)}>
                {t(`repairs.notices.template.${name}`)}
              </button>
            ))}
          </div>
          <div className="sms-panel__langs">
            {(['zh', 'en'] as const).map((lang) => (
              <label key={lang} className="choice">
                <input type="radio" name="sms-language" checked={language === lang} onChange={() => choose(template, lang)} />
                {t(`admin.settings.lang.${lang}`)}
              </label>
            ))}
            {current?.customized ? <StatusPill tone="brand">{t('admin.sms.customized')}</StatusPill> : <StatusPill tone="neutral">{t('admin.sms.default')}</StatusPill>}
          </div>
          <label className="field">
            <span className="field__label">{t('admin.sms.text')}</span>
            <textarea
              className="input textarea sms-panel__text"
              rows={4}
              value={text}
              aria-invalid={bodyError ? true : undefined}
              onChange={(e) => {
                setDraft(e.target.value);
                setSaved(false);
              }}
            />
            <span className="field__hint">
              {t('admin.sms.placeholders')} {current?.placeholders.map((p) => `{${p}}`).join(' ')}
            </span>
            {bodyError && <span className="field__error">{bodyError}</span>}
          </label>
          <div className="sms-preview" aria-live="polite">
            <div className="sms-preview__bubble">{preview?.text ?? ''}</div>
            {preview && <div className="sms-preview__meta tabular">{t('admin.sms.cost', { characters: preview.characters, count: preview.segments })}</div>}
          </div>
          <div className="settings-form__actions">
            {saved && <span className="settings-form__saved">✓ {t('admin.settings.saved')}</span>}
            <Button type="button" variant="ghost" onClick={reset} busy={busy === 'reset'} disabled={!current?.customized}>
              {t('admin.sms.useDefault')}
            </Button>
            <Button type="button" variant="primary" onClick={save} busy={busy === 'save'} disabled={draft === null || Boolean(bodyError)}>
              {t('common.save')}
            </Button>
          </div>
        </div>
        <div className="sms-panel__side">
          <h3>{t('admin.sms.quietTitle')}</h3>
          <div className="sms-panel__quiet">
            <label className="field">
              <span className="field__label">{t('admin.sms.quietStart')}</span>
              <input className="input" type="time" value={quiet.quietStart} onChange={(e) => setQuiet({ ...quiet, quietStart: e.target.value })} />
            </label>
            <label className="field">
              <span className="field__label">{t('admin.sms.quietEnd')}</span>
              <input className="input" type="time" value={quiet.quietEnd} onChange={(e) => setQuiet({ ...quiet, quietEnd: e.target.value })} />
            </label>
            <label className="field">
              <span className="field__label">{t('admin.sms.reminderDays')}</span>
              <input className="input" value={quiet.reminderDays} onChange={(e) => setQuiet({ ...quiet, reminderDays: e.target.value })} />
            </label>
          </div>
          <span className="field__hint">{t('admin.sms.quietHint', { timeZone })}</span>
          <label className="choice">
            <input type="checkbox" checked={quiet.lobbyNearSms} onChange={(e) => setQuiet({ ...quiet, lobbyNearSms: e.target.checked })} />
            {t('admin.sms.lobbyNear')}
          </label>
          <div className="settings-form__actions">
            <Button type="button" variant="secondary" onClick={saveQuiet} busy={busy === 'quiet'}>
              {t('common.save')}
            </Button>
          </div>
          <h3>{t('admin.sms.outboxTitle')}</h3>
          {outbox.data && outbox.data.length > 0 ? (
            <ol className="sms-outbox">
              {outbox.data.map((m) => (
                <li key={m.id}>
                  <span className="sms-outbox__to tabular">
                    {m.to} · {new Date(m.createdAt).toLocaleString(i18n.language === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short' })}
                  </span>
                  <span>{m.body}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="field__hint">{t('admin.sms.outboxEmpty')}</p>
          )}
        </div>
      </div>
    </section>
  );
}
