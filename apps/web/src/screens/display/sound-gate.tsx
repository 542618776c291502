import { Icon } from '@frontdesk/ui';
import { fixedT } from '../../lib/i18n';

/**
 * Browsers keep audio off until someone touches the page. A wall screen is set
 * up once, so we ask once, in both languages, and say what happens otherwise.
 */
export function SoundGate({ onEnable, onSkip }: { onEnable: () => void; onSkip: () => void }) {
  const zh = fixedT('zh');
  const en = fixedT('en');
  return (
    <div className="sound-gate" role="dialog" aria-modal="true" aria-labelledby="sound-gate-title" onClick={onEnable}>
      <div className="sound-gate__card" onClick={(e) => e.stopPropagation()}>
        <div className="sound-gate__icon" aria-hidden="true">
          <Icon name="speaker" />
        </div>
        <h2 id="sound-gate-title" className="sound-gate__title">
          {zh('display.sound.enable')}
          <span>{en('display.sound.enable')}</span>
        </h2>
        <p className="sound-gate__hint">
          {zh('display.sound.hint')}
          <br />
          {en('display.sound.hint')}
        </p>
        <button type="button" className="sound-gate__button" onClick={onEnable} autoFocus>
          {zh('display.sound.button')} · {en('display.sound.button')}
        </button>
        <button type="button" className="sound-gate__skip" onClick={onSkip}>
          {zh('display.sound.skip')} · {en('display.sound.skip')}
        </button>
      </div>
    </div>
  );
}
