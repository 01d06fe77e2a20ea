import type { ReactNode } from 'react';

export interface Fact {
  label: string;
  value: string;
}

/** A label/value list (tooltip, region details, breakdowns). */
export function Facts({
  rows,
  compact = false,
  children,
}: {
  rows: Fact[];
  compact?: boolean;
  children?: ReactNode;
}) {
  return (
    <dl className={compact ? 'facts compact' : 'facts'}>
      {rows.map((r) => (
        <div key={r.label}>
          <dt>{r.label}</dt>
          <dd>{r.value}</dd>
        </div>
      ))}
      {children}
    </dl>
  );
}
