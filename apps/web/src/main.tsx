import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import '@fontsource/noto-sans-sc/900.css';
import '@frontdesk/ui';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { initI18n } from './lib/i18n';
import { installStaleBuildRecovery } from './lib/stale-build-recovery';

initI18n();
installStaleBuildRecovery();

const container = document.getElementById('root');
if (!container) {
  throw new Error('#root is missing from index.html');
}
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
