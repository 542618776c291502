export interface LanguageOption<L extends string> {
  value: L;
  label: string;
}

export interface LanguageToggleProps<L extends string> {
  value: L;
  options: LanguageOption<L>[];
  onChange: (value: L) => void;
  label: string;
  size?: 'sm' | 'lg';
  className?: string;
}

/** Segmented 中文 / English switch; each option is written in its own language. */
export function LanguageToggle<L extends string>({ value, options, onChange, label, size = 'sm', className }: LanguageToggleProps<L>) {
  return (
    <div className={['fd-lang', `fd-lang--${size}`, className].filter(Boolean).join(' ')} role="group" aria-label={label}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          className="fd-lang__option"
          aria-pressed={option.value === value}
          lang={option.value}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
