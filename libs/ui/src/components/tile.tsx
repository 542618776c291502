import type { ReactNode } from 'react';
import { ServiceBadge, serviceColor } from './service-badge';

export type Tone = 'neutral' | 'brand' | 'success' | 'warning' | 'danger' | 'call';

export interface StatTileProps {
  label: ReactNode;
  value: ReactNode;
  unit?: ReactNode;
  footnote?: ReactNode;
  tone?: Tone;
  className?: string;
}

export function StatTile({ label, value, unit, footnote, tone = 'neutral', className }: StatTileProps) {
  return (
    <div className={['fd-tile', `fd-tile--${tone}`, className].filter(Boolean).join(' ')}>
      <div className="fd-tile__label">{label}</div>
      <div className="fd-tile__value tabular">
        {value}
        {unit && <span className="fd-tile__unit">{unit}</span>}
      </div>
      {footnote && <div className="fd-tile__footnote">{footnote}</div>}
    </div>
  );
}

export interface ServiceTileStat {
  label: ReactNode;
  value: ReactNode;
  unit?: ReactNode;
}

export interface ServiceTileProps {
  code: string;
  title: ReactNode;
  subtitle?: ReactNode;
  stats: ServiceTileStat[];
  muted?: boolean;
  note?: ReactNode;
  className?: string;
}

/** A service at a glance: letter, name, and its queue numbers. */
export function ServiceTile({ code, title, subtitle, stats, muted = false, note, className }: ServiceTileProps) {
  return (
    <div
      className={['fd-service-tile', muted ? 'fd-service-tile--muted' : '', className].filter(Boolean).join(' ')}
      style={{ ['--fd-tone' as string]: serviceColor(code) }}
    >
      <div className="fd-service-tile__head">
        <ServiceBadge code={code} size="lg" />
        <div className="fd-service-tile__names">
          <div className="fd-service-tile__title">{title}</div>
          {subtitle && <div className="fd-service-tile__subtitle">{subtitle}</div>}
        </div>
      </div>
      <dl className="fd-service-tile__stats">
        {stats.map((stat, index) => (
          <div className="fd-service-tile__stat" key={index}>
            <dt>{stat.label}</dt>
            <dd className="tabular">
              {stat.value}
              {stat.unit && <span className="fd-service-tile__unit">{stat.unit}</span>}
            </dd>
          </div>
        ))}
      </dl>
      {note && <div className="fd-service-tile__note">{note}</div>}
    </div>
  );
}
