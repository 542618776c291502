import type { ReactNode } from 'react';
import type { Tone } from './tile';

export function StatusPill({ tone = 'neutral', children, className }: { tone?: Tone; children: ReactNode; className?: string }) {
  return <span className={['fd-pill', `fd-pill--${tone}`, className].filter(Boolean).join(' ')}>{children}</span>;
}
