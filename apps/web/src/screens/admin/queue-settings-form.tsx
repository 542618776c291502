import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, Language, QueueSettings, UpdateQueueSettingsRequest } from '@frontdesk/contracts';
import { QueueSettingsSchema } from '@frontdesk/contracts';
import { Button } from '@frontdesk/ui';
import { ErrorBanner, ScreenLoading } from '../../components/screen-state';
import { isApiError, type ApiClient } from '../../lib/api-client';
import { useActionRunner } from '../../lib/use-action-runner';
import { useApiGet } from '../../lib/use-resource';

/** Form values as typed: numbers stay strings until saved, minutes where people think in minutes. */
interface FormValues {
  agingLimitMinutes: string;
  maxRecalls: string;
  recallCooldownSeconds: string;
  serviceTimeSampleSize: string;
  announceLanguages: Language[];
}

function toForm(settings: QueueSettings): FormValues {
  return {
    agingLimitMinutes: String(Math.round(settings.agingLimitSeconds / 60)),
    maxRecalls: String(settings.maxRecalls),
    recallCooldownSeconds: String(settings.recallCooldownSeconds),
    serviceTimeSampleSize: String(settings.serviceTimeSampleSize),
    announceLanguages: [...settings.announceLanguages],
  };
}

function toSettings(values: FormValues): Record<keyof QueueSettings, unknown> {
  const num = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));
  return {
    agingLimitSeconds: num(values.agingLimitMinutes) * 60,
    maxRecalls: num(values.maxRecalls),
    recallCooldownSeconds: num(values.recallCooldownSeconds),
    serviceTimeSampleSize: num(values.serviceTimeSampleSize),
    // Chinese is always announced first (the wall screen speaks it for every call).
    announceLanguages: values.announceLanguages.includes('en') ? ['zh', 'en'] : ['zh'],
  };
}

type FieldErrors = Partial<Record<keyof QueueSettings, string>>;

export function QueueSettingsForm({ api, branchId }: { api: ApiClient; branchId: string }) {
  const { t } = useTranslation();
  const branch = useApiGet<BranchDto>(api, `/api/branches/${branchId}`);
  const [values, setValues] = useState<FormValues | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const { busy, failure, run, dismiss } = useActionRunner();

  useEffect(() => {
    if (branch.data) {
      setValues(toForm(branch.data.queueSettings));
    }
  }, [branch.data]);

  if (branch.error && !branch.data) {
    return (
      <section className="admin-card">
        <ErrorBanner error={branch.error} onRetry={branch.reload} />
      </section>
    );
  }
  if (!branch.data || !values) {
    return (
      <section className="admin-card">
        <ScreenLoading />
      </section>
    );
  }
  const original = branch.data.queueSettings;

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues({ ...values, [key]: value });
    setSaved(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = QueueSettingsSchema.safeParse(toSettings(values));
    if (!parsed.success) {
      const next: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as keyof QueueSettings;
        next[key] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    // Only what changed: a concurrent edit of another field is not overwritten.
    const patch: UpdateQueueSettingsRequest = {};
    const keys = Object.keys(parsed.data) as (keyof QueueSettings)[];
    for (const key of keys) {
      if (JSON.stringify(parsed.data[key]) !== JSON.stringify(original[key])) {
        (patch as Record<string, unknown>)[key] = parsed.data[key];
      }
    }
    if (Object.keys(patch).length === 0) {
      setSaved(true);
      return;
    }
    void run('save', async () => {
      try {
        const updated = await api.patch<BranchDto | QueueSettings>(`/api/branches/${branchId}/settings`, patch);
        const settings = 'queueSettings' in updated ? updated.queueSettings : { ...original, ...patch };
        branch.setData({ ...branch.data!, queueSettings: settings });
        setSaved(true);
      } catch (error) {
        if (isApiError(error) && error.details.length > 0) {
          const next: FieldErrors = {};
          for (const detail of error.details) {
            const key = detail.path.split('.').pop() as keyof QueueSettings;
            next[key] ??= detail.message;
          }
          setErrors(next);
        }
        throw error;
      }
    });
  };

  const numberField = (key: Exclude<keyof FormValues, 'announceLanguages'>, errorKey: keyof QueueSettings, min: number, max: number, unit: string) => (
    <label className="field">
      <span className="field__label">{t(`admin.settings.${key}`)}</span>
      <span className="settings-input">
        <input
          className="input"
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={values[key]}
          aria-invalid={errors[errorKey] ? true : undefined}
          onChange={(e) => set(key, e.target.value)}
        />
        <span className="settings-input__unit">{unit}</span>
      </span>
      <span className="field__hint">{t(`admin.settings.${key}Hint`)}</span>
      {errors[errorKey] && <span className="field__error">{errors[errorKey]}</span>}
    </label>
  );

  return (
    <section className="admin-card" aria-labelledby="settings-title">
      <header className="admin-card__head">
        <h2 id="settings-title">{t('admin.settings.title')}</h2>
        <p>{t('admin.settings.lead')}</p>
      </header>
      <form className="settings-form" onSubmit={submit} noValidate>
        {numberField('agingLimitMinutes', 'agingLimitSeconds', 1, 240, t('admin.settings.unitMinutes'))}
        {numberField('maxRecalls', 'maxRecalls', 0, 10, t('admin.settings.unitTimes'))}
        {numberField('recallCooldownSeconds', 'recallCooldownSeconds', 0, 600, t('admin.settings.unitSeconds'))}
        {numberField('serviceTimeSampleSize', 'serviceTimeSampleSize', 1, 100, t('admin.settings.unitTickets'))}
        <fieldset className="field settings-form__languages">
          <legend className="field__label">{t('admin.settings.announceLanguages')}</legend>
          <div className="choice-grid">
            {(['zh', 'en'] as const).map((lang) => (
              <label key={lang} className="choice">
                <input
                  type="checkbox"
                  // Calls are always spoken in Chinese; only English is optional.
                  disabled={lang === 'zh'}
                  checked={lang === 'zh' || values.announceLanguages.includes(lang)}
                  onChange={(e) =>
                    set('announceLanguages', e.target.checked ? [...values.announceLanguages, lang] : values.announceLanguages.filter((l) => l !== lang))
                  }
                />
                {t(`admin.settings.lang.${lang}`)}
              </label>
            ))}
          </div>
          <span className="field__hint">{t('admin.settings.announceLanguagesHint')}</span>
          {errors.announceLanguages && <span className="field__error">{errors.announceLanguages}</span>}
        </fieldset>

        {failure && <ErrorBanner error={failure.error} onRetry={failure.retry} onDismiss={dismiss} />}
        <div className="settings-form__actions">
          {saved && <span className="settings-form__saved">✓ {t('admin.settings.saved')}</span>}
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setValues(toForm(original));
              setErrors({});
            }}
            disabled={busy !== null}
          >
            {t('admin.settings.reset')}
          </Button>
          <Button type="submit" variant="primary" busy={busy === 'save'}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}
