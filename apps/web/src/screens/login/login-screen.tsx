import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import type { LoginResponse } from '@frontdesk/contracts';
import { Button } from '@frontdesk/ui';
import { LanguageSwitch } from '../../components/language-switch';
import { ApiClient, isApiError } from '../../lib/api-client';
import { describeError } from '../../lib/error-message';
import { homePathForRole, saveSession, useSession } from '../../lib/session-store';
import './login.css';

const anonymousApi = new ApiClient();

/** Only same-site paths, so `?next=` cannot send someone to another site. */
export function safeNextPath(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) {
    return null;
  }
  return next;
}

export function LoginScreen() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = safeNextPath(params.get('next'));

  if (session && !busy) {
    return <Navigate to={next ?? homePathForRole(session.user.role)} replace />;
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await anonymousApi.post<LoginResponse>('/api/auth/login', { username: username.trim(), password });
      saveSession(result);
      void navigate(next ?? homePathForRole(result.user.role), { replace: true });
    } catch (err) {
      if (isApiError(err) && (err.status === 401 || err.status === 403)) {
        setError(t('login.invalid'));
      } else {
        const plain = describeError(err, t);
        setError(plain.detail ? `${plain.title} (${plain.detail})` : plain.title);
      }
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <div className="login__lang">
        <LanguageSwitch />
      </div>
      <form className="login__card" onSubmit={(e) => void submit(e)} noValidate>
        <div className="login__brand">
          <span className="brand-mark">A1</span>
          <span>Frontdesk Live</span>
        </div>
        <h1 className="login__title">{t('login.title')}</h1>
        <p className="login__subtitle">{t('login.subtitle')}</p>
        <label className="field">
          <span className="field__label">{t('login.username')}</span>
          <input
            className="input"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field__label">{t('login.password')}</span>
          <input
            className="input"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
        <Button type="submit" variant="primary" size="lg" block busy={busy} disabled={!username.trim() || !password}>
          {busy ? t('login.signingIn') : t('login.submit')}
        </Button>
      </form>
    </div>
  );
}
