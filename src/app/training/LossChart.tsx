import type { EpochReport } from '../../core/srel/train';

const SERIES: { key: 'loss' | 'mobility' | 'poi' | 'landUse'; label: string; color: string }[] = [
  { key: 'loss', label: 'total', color: '#1f2937' },
  { key: 'mobility', label: 'mobility', color: '#0072b2' },
  { key: 'poi', label: 'POI', color: '#e69f00' },
  { key: 'landUse', label: 'land use', color: '#009e73' },
];

const W = 320;
const H = 110;

/** The loss and its parts per epoch, each relative to its value at epoch 1 (their scales differ). */
export function LossChart({ history, epochs }: { history: EpochReport[]; epochs: number }) {
  if (history.length === 0) return null;
  const relative = SERIES.map((s) => {
    const first = history[0][s.key] || 1;
    return history.map((r) => r[s.key] / first);
  });
  const top = Math.max(1, ...relative.flat().filter(Number.isFinite));
  const bottom = Math.min(0, ...relative.flat().filter(Number.isFinite));
  const x = (i: number): number => (epochs > 1 ? (i / (epochs - 1)) * (W - 4) + 2 : W / 2);
  const y = (v: number): number => H - 2 - ((v - bottom) / (top - bottom || 1)) * (H - 4);
  const last = history[history.length - 1];
  return (
    <figure className="loss-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Training loss, ${history.length} of ${epochs} epochs; now ${last.loss.toFixed(4)}`}
      >
        <line x1="0" x2={W} y1={y(1)} y2={y(1)} className="loss-chart-start" />
        {SERIES.map((s, k) => (
          <polyline
            key={s.key}
            fill="none"
            stroke={s.color}
            strokeWidth={s.key === 'loss' ? 2 : 1.2}
            points={relative[k].map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {SERIES.map((s) => (
          <span key={s.key} className="loss-key">
            <i style={{ background: s.color }} />
            {s.label} {last[s.key].toPrecision(4)}
          </span>
        ))}
        <span className="muted"> · lines relative to epoch 1 (dashed)</span>
      </figcaption>
    </figure>
  );
}
