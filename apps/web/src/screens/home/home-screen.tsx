import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { Button } from '@frontdesk/ui';
import { LanguageSwitch } from '../../components/language-switch';
import { clearSession, homePathForRole, useSession } from '../../lib/session-store';
import './home.css';

interface Destination {
  to: string;
  title: string;
  body: string;
  tag: string;
}

/** A tiny front door: where each device and person should go. */
export function HomeScreen() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const [ticketRef, setTicketRef] = useState('');

  const destinations: Destination[] = [
    { to: '/kiosk/demo', title: t('home.kiosk.title'), body: t('home.kiosk.body'), tag: t('home.tagDevice') },
    { to: '/display/demo', title: t('home.display.title'), body: t('home.display.body'), tag: t('home.tagDevice') },
    { to: '/counter', title: t('home.counter.title'), body: t('home.counter.body'), tag: t('home.tagStaff') },
    { to: '/repairs', title: t('home.repairs.title'), body: t('home.repairs.body'), tag: t('home.tagStaff') },
    { to: '/hotline', title: t('home.hotline.title'), body: t('home.hotline.body'), tag: t('home.tagStaff') },
    { to: '/callbacks', title: t('home.callbacks.title'), body: t('home.callbacks.body'), tag: t('home.tagStaff') },
    { to: '/manager', title: t('home.manager.title'), body: t('home.manager.body'), tag: t('home.tagManager') },
    { to: '/admin', title: t('home.admin.title'), body: t('home.admin.body'), tag: t('home.tagManager') },
  ];

  const openTicket = (event: FormEvent) => {
    event.preventDefault();
    const value = ticketRef.trim();
    // Accept a bare id or a pasted tracking link.
    const id = /\/t\/([^/?#]+)/.exec(value)?.[1] ?? value;
    if (id) {
      void navigate(`/t/${encodeURIComponent(id)}`);
    }
  };

  return (
    <div className="home">
      <header className="home__bar">
        <span className="app-bar__brand">
          <span className="brand-mark">A1</span> Frontdesk Live
        </span>
        <span className="app-bar__spacer" />
        {session ? (
          <>
            <span className="app-bar__user">{t('auth.signedInAs', { name: session.user.displayName })}</span>
            <Link className="fd-btn fd-btn--secondary fd-btn--sm" to={homePathForRole(session.user.role)}>
              {t('home.myScreen')}
            </Link>
            <Button size="sm" variant="ghost" onClick={() => clearSession()}>
              {t('auth.signOut')}
            </Button>
          </>
        ) : (
          <Link className="fd-btn fd-btn--primary fd-btn--sm" to="/login">
            {t('auth.signIn')}
          </Link>
        )}
        <LanguageSwitch />
      </header>

      <main className="home__main">
        <section className="home__hero">
          <h1>{t('home.title')}</h1>
          <p>{t('home.subtitle')}</p>
        </section>

        <nav className="home__grid" aria-label={t('home.screens')}>
          {destinations.map((d) => (
            <Link key={d.to} to={d.to} className="home-card">
              <span className="home-card__tag">{d.tag}</span>
              <span className="home-card__title">{d.title}</span>
              <span className="home-card__body">{d.body}</span>
              <span className="home-card__path">{d.to}</span>
            </Link>
          ))}
        </nav>

        <form className="home__track" onSubmit={openTicket}>
          <label className="field">
            <span className="field__label">{t('home.track.title')}</span>
            <span className="field__hint">{t('home.track.hint')}</span>
            <span className="home__track-row">
              <input
                className="input"
                value={ticketRef}
                onChange={(e) => setTicketRef(e.target.value)}
                placeholder={t('home.track.placeholder')}
                autoComplete="off"
              />
              <Button type="submit" variant="secondary" disabled={!ticketRef.trim()}>
                {t('home.track.open')}
              </Button>
            </span>
          </label>
        </form>

        <footer className="home__footer">
          <a href="/api/docs">{t('home.apiDocs')}</a>
          <span>·</span>
          <a href="/api/health">{t('home.health')}</a>
        </footer>
      </main>
    </div>
  );
}
