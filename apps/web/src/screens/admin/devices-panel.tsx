import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, CreatedDeviceDto, CreateDeviceRequest, DeviceDto, DeviceKind } from '@frontdesk/contracts';
import { DEVICE_KINDS } from '@frontdesk/contracts';
import { Button, Dialog, StatusPill } from '@frontdesk/ui';
import { ErrorBanner } from '../../components/screen-state';
import type { ApiClient } from '../../lib/api-client';
import { copyText } from '../../lib/clipboard';
import { LOCALE_OF, useLanguage } from '../../lib/i18n';
import { formatDate, formatTime } from '../../lib/time-format';
import { useActionRunner } from '../../lib/use-action-runner';
import { useApiGet } from '../../lib/use-resource';

function absoluteUrl(url: string): string {
  try {
    return new URL(url, window.location.origin).href;
  } catch {
    return url;
  }
}

function CopyField({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-field">
      <span className="field__label">{label}</span>
      <div className="copy-field__row">
        <code className="copy-field__value">{value}</code>
        <Button
          size="sm"
          variant={copied ? 'success' : 'secondary'}
          onClick={() => {
            void copyText(value).then((ok) => {
              setCopied(ok);
              if (ok) {
                setTimeout(() => setCopied(false), 2000);
              }
            });
          }}
        >
          {copied ? t('admin.devices.copied') : t('admin.devices.copy')}
        </Button>
      </div>
    </div>
  );
}

export function DevicesPanel({ api, branch }: { api: ApiClient; branch: BranchDto }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const devices = useApiGet<DeviceDto[]>(api, `/api/branches/${branch.id}/devices`);
  const { busy, failure, run, dismiss } = useActionRunner();
  const [kind, setKind] = useState<DeviceKind>('kiosk');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedDeviceDto | null>(null);
  const [revoking, setRevoking] = useState<DeviceDto | null>(null);

  const create = (event: FormEvent) => {
    event.preventDefault();
    const body: CreateDeviceRequest = { kind, name: name.trim() };
    void run('create', async () => {
      const device = await api.post<CreatedDeviceDto>(`/api/branches/${branch.id}/devices`, body);
      setCreated(device);
      setName('');
      devices.reload();
    });
  };

  const revoke = (device: DeviceDto) => {
    setRevoking(null);
    void run(`revoke:${device.id}`, async () => {
      await api.delete(`/api/devices/${device.id}`);
      devices.reload();
    });
  };

  const rows = [...(devices.data ?? [])].sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || a.name.localeCompare(b.name));

  return (
    <section className="admin-card" aria-labelledby="devices-title">
      <header className="admin-card__head">
        <h2 id="devices-title">{t('admin.devices.title')}</h2>
        <p>{t('admin.devices.lead')}</p>
      </header>

      <form className="device-form" onSubmit={create}>
        <label className="field">
          <span className="field__label">{t('admin.devices.kind')}</span>
          <select className="select" value={kind} onChange={(e) => setKind(e.target.value as DeviceKind)}>
            {DEVICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`admin.devices.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field device-form__name">
          <span className="field__label">{t('admin.devices.name')}</span>
          <input className="input" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder={t('admin.devices.namePlaceholder')} />
        </label>
        <Button type="submit" variant="primary" busy={busy === 'create'} disabled={!name.trim() || busy !== null}>
          {t('admin.devices.create')}
        </Button>
      </form>

      {failure && <ErrorBanner error={failure.error} onRetry={failure.retry} onDismiss={dismiss} />}
      {devices.error !== null && <ErrorBanner error={devices.error} onRetry={devices.reload} />}

      <table className="admin-table">
        <thead>
          <tr>
            <th>{t('admin.devices.name')}</th>
            <th>{t('admin.devices.kind')}</th>
            <th>{t('admin.devices.createdAt')}</th>
            <th>{t('admin.devices.lastSeen')}</th>
            <th>{t('admin.devices.status')}</th>
            <th aria-label={t('admin.devices.actions')} />
          </tr>
        </thead>
        <tbody>
          {rows.map((device) => (
            <tr key={device.id} className={device.revokedAt ? 'admin-table__row--muted' : ''}>
              <td className="admin-table__strong">{device.name}</td>
              <td>{t(`admin.devices.kinds.${device.kind}`)}</td>
              <td>{formatDate(device.createdAt, LOCALE_OF[language], branch.timeZone)}</td>
              <td>
                {device.lastSeenAt
                  ? `${formatDate(device.lastSeenAt, LOCALE_OF[language], branch.timeZone)} ${formatTime(device.lastSeenAt, branch.timeZone)}`
                  : t('admin.devices.never')}
              </td>
              <td>
                {device.revokedAt ? (
                  <StatusPill tone="neutral">{t('admin.devices.revoked')}</StatusPill>
                ) : (
                  <StatusPill tone="success">{t('admin.devices.active')}</StatusPill>
                )}
              </td>
              <td className="admin-table__actions">
                {!device.revokedAt && (
                  <Button size="sm" variant="danger" busy={busy === `revoke:${device.id}`} disabled={busy !== null} onClick={() => setRevoking(device)}>
                    {t('admin.devices.revoke')}
                  </Button>
                )}
              </td>
            </tr>
          ))}
          {devices.data && rows.length === 0 && (
            <tr>
              <td colSpan={6} className="admin-table__empty">
                {t('admin.devices.none')}
              </td>
            </tr>
          )}
          {!devices.data && !devices.error && (
            <tr>
              <td colSpan={6} className="admin-table__empty">
                {t('common.loading')}
              </td>
            </tr>
          )}
        </tbody>
      </table>

      <Dialog
        open={created !== null}
        onClose={() => setCreated(null)}
        title={t('admin.devices.createdTitle', { name: created?.name ?? '' })}
        size="lg"
        actions={
          <Button variant="primary" onClick={() => setCreated(null)}>
            {t('admin.devices.savedIt')}
          </Button>
        }
      >
        {created && (
          <div className="created-device">
            <p className="created-device__warning">{t('admin.devices.shownOnce')}</p>
            <CopyField label={t('admin.devices.url')} value={absoluteUrl(created.url)} />
            <CopyField label={t('admin.devices.token')} value={created.token} />
            <p className="field__hint">{t(created.kind === 'kiosk' ? 'admin.devices.howToKiosk' : 'admin.devices.howToDisplay')}</p>
          </div>
        )}
      </Dialog>

      <Dialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('admin.devices.revokeTitle', { name: revoking?.name ?? '' })}
        size="sm"
        actions={
          <>
            <Button onClick={() => setRevoking(null)} autoFocus>
              {t('common.cancel')}
            </Button>
            <Button variant="danger" onClick={() => revoking && revoke(revoking)}>
              {t('admin.devices.revoke')}
            </Button>
          </>
        }
      >
        <p className="dialog-lead">{t('admin.devices.revokeBody')}</p>
      </Dialog>
    </section>
  );
}
