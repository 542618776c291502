import { useTranslation } from 'react-i18next';
import { Icon } from '@frontdesk/ui';

export const PHONE_MIN_DIGITS = 6;
export const PHONE_MAX_DIGITS = 15;

/** 138 0013 8000 for Chinese mobiles, groups of four otherwise. */
export function formatPhoneForDisplay(digits: string): string {
  if (digits.length <= 3) {
    return digits;
  }
  if (digits.length <= 11 && digits.startsWith('1')) {
    return [digits.slice(0, 3), digits.slice(3, 7), digits.slice(7)].filter(Boolean).join(' ');
  }
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function isPlausiblePhone(digits: string): boolean {
  return digits.length >= PHONE_MIN_DIGITS && digits.length <= PHONE_MAX_DIGITS;
}

interface PhoneKeypadProps {
  value: string;
  onChange: (value: string) => void;
}

/** On-screen keypad: the kiosk has a touch screen and no keyboard. */
export function PhoneKeypad({ value, onChange }: PhoneKeypadProps) {
  const { t } = useTranslation();
  const press = (digit: string) => {
    if (value.length < PHONE_MAX_DIGITS) {
      onChange(value + digit);
    }
  };
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
  return (
    <div className="keypad" role="group" aria-label={t('kiosk.phone.keypad')}>
      {keys.map((key) => (
        <button key={key} type="button" className="keypad__key" onClick={() => press(key)}>
          {key}
        </button>
      ))}
      <button type="button" className="keypad__key keypad__key--muted" onClick={() => onChange('')} disabled={!value}>
        {t('kiosk.phone.clear')}
      </button>
      <button type="button" className="keypad__key" onClick={() => press('0')}>
        0
      </button>
      <button
        type="button"
        className="keypad__key keypad__key--muted"
        onClick={() => onChange(value.slice(0, -1))}
        disabled={!value}
        aria-label={t('kiosk.phone.backspace')}
      >
        <Icon name="backspace" />
      </button>
    </div>
  );
}
