import type { ButtonHTMLAttributes, ReactNode } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'success' | 'warning' | 'danger' | 'ghost';
export type ButtonSize = 'sm' | 'md' | 'lg' | 'xl';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Keyboard shortcut shown on the button, e.g. "F1 / Space". */
  shortcut?: string;
  busy?: boolean;
  block?: boolean;
  icon?: ReactNode;
}

export function Button({
  variant = 'secondary',
  size = 'md',
  shortcut,
  busy = false,
  block = false,
  icon,
  className,
  children,
  disabled,
  type = 'button',
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      className={['fd-btn', `fd-btn--${variant}`, `fd-btn--${size}`, block ? 'fd-btn--block' : '', busy ? 'fd-btn--busy' : '', className]
        .filter(Boolean)
        .join(' ')}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {icon && (
        <span className="fd-btn__icon" aria-hidden="true">
          {icon}
        </span>
      )}
      <span className="fd-btn__label">{children}</span>
      {shortcut && <kbd className="fd-btn__shortcut">{shortcut}</kbd>}
    </button>
  );
}

export interface BigButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'title'> {
  /** Left-hand visual, usually a ServiceBadge. */
  badge?: ReactNode;
  title: ReactNode;
  subtitle?: ReactNode;
  /** Right-hand detail such as the waiting count. */
  aside?: ReactNode;
  tone?: string;
}

/** A touch target of at least 120 px for kiosks: whole row is the button. */
export function BigButton({ badge, title, subtitle, aside, className, tone, type = 'button', style, ...rest }: BigButtonProps) {
  return (
    <button
      type={type}
      className={['fd-bigbtn', className].filter(Boolean).join(' ')}
      style={tone ? { ...style, ['--fd-tone' as string]: tone } : style}
      {...rest}
    >
      {badge && <span className="fd-bigbtn__badge">{badge}</span>}
      <span className="fd-bigbtn__text">
        <span className="fd-bigbtn__title">{title}</span>
        {subtitle && <span className="fd-bigbtn__subtitle">{subtitle}</span>}
      </span>
      {aside && <span className="fd-bigbtn__aside">{aside}</span>}
    </button>
  );
}
