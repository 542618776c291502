import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router-dom';
import { Button } from '@frontdesk/ui';
import { isChunkLoadError, reloadOnceForStaleBuild } from '../lib/stale-build-recovery';
import { CenteredMessage } from './screen-state';

/** Unattended screens recover by themselves; people get a button. */
const AUTO_RELOAD_MS = 30_000;

export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  const staleBuild = isChunkLoadError(error);

  useEffect(() => {
    if (staleBuild && reloadOnceForStaleBuild()) {
      return;
    }
    const timer = setTimeout(() => window.location.reload(), AUTO_RELOAD_MS);
    return () => clearTimeout(timer);
  }, [staleBuild]);

  return (
    <CenteredMessage
      tone="danger"
      title={staleBuild ? t('routeError.updatedTitle') : t('routeError.title')}
      message={staleBuild ? t('routeError.updated') : t('routeError.body')}
      detail={error instanceof Error ? error.message : null}
      actions={
        <Button variant="primary" size="lg" onClick={() => window.location.reload()}>
          {t('routeError.reload')}
        </Button>
      }
    />
  );
}
