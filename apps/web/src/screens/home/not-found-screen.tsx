import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CenteredMessage } from '../../components/screen-state';

export function NotFoundScreen() {
  const { t } = useTranslation();
  return (
    <CenteredMessage
      title={t('notFound.title')}
      message={t('notFound.body')}
      actions={
        <Link className="fd-btn fd-btn--primary fd-btn--md" to="/">
          {t('common.home')}
        </Link>
      }
    />
  );
}
