import type { SVGProps } from 'react';

/**
 * A handful of line icons drawn inline: kiosks, TV sticks and headless players
 * often have no emoji font, and an icon must never render as a missing glyph.
 */
const PATHS = {
  speaker: 'M4 9v6h4l5 4V5L8 9H4z M16 8.5a4.5 4.5 0 0 1 0 7 M18.5 6a8 8 0 0 1 0 12',
  speakerOff: 'M4 9v6h4l5 4V5L8 9H4z M16 9l5 6 M21 9l-5 6',
  bell: 'M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15L6 16z M10 20a2 2 0 0 0 4 0',
  phone: 'M5 4h3l1.5 4-2 1.5a11 11 0 0 0 5 5l1.5-2 4 1.5v3a2 2 0 0 1-2 2A15 15 0 0 1 3 6a2 2 0 0 1 2-2z',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  arrowRight: 'M4 12h15 M13 6l6 6-6 6',
  backspace: 'M9 5h11v14H9l-6-7 6-7z M12 9l5 6 M17 9l-5 6',
} as const;

export type IconName = keyof typeof PATHS;

export interface IconProps extends Omit<SVGProps<SVGSVGElement>, 'name'> {
  name: IconName;
  /** Accessible name; without it the icon is decorative. */
  label?: string;
}

export function Icon({ name, label, className, ...rest }: IconProps) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={['fd-icon', className].filter(Boolean).join(' ')}
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      focusable="false"
      {...rest}
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
