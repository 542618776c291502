const KNOWN = new Set(['A', 'B', 'C', 'D']);

/** The CSS colour of a service letter, consistent on every screen. */
export function serviceColor(code: string): string {
  const letter = code.trim().charAt(0).toUpperCase();
  return KNOWN.has(letter) ? `var(--color-service-${letter.toLowerCase()})` : 'var(--color-service-other)';
}

export interface ServiceBadgeProps {
  code: string;
  size?: 'sm' | 'md' | 'lg' | 'xl';
  className?: string;
}

export function ServiceBadge({ code, size = 'md', className }: ServiceBadgeProps) {
  return (
    <span
      className={['fd-badge', `fd-badge--${size}`, className].filter(Boolean).join(' ')}
      style={{ ['--fd-tone' as string]: serviceColor(code) }}
      aria-hidden="true"
    >
      {code}
    </span>
  );
}
