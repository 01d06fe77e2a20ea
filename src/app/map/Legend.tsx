import type { Coloring } from './coloring';
import { NO_VALUE_COLOR, toCss } from './palette';
import { formatNumber } from '../region/regionStats';

/** Class breaks of the value shown, with their colours and region counts. */
export function Legend({ coloring }: { coloring: Coloring }) {
  const { option, classification } = coloring;
  if (!option) return null;
  const { classes, missing } = classification;
  return (
    <figure className="legend" aria-label={`Legend: ${option.label}`} data-testid="legend">
      <figcaption>{option.label}</figcaption>
      <ul>
        {classes.map((c, i) => (
          <li key={i}>
            <span className="swatch" style={{ background: toCss(c.color) }} aria-hidden="true" />
            <span className="range">
              {c.min === c.max ? formatNumber(c.min) : `${formatNumber(c.min)} – ${formatNumber(c.max)}`}
            </span>
            <span className="count">{c.count}</span>
          </li>
        ))}
        {missing > 0 && (
          <li>
            <span className="swatch" style={{ background: toCss(NO_VALUE_COLOR) }} aria-hidden="true" />
            <span className="range">no value</span>
            <span className="count">{missing}</span>
          </li>
        )}
      </ul>
      {option.note && <p className="legend-note">{option.note}</p>}
    </figure>
  );
}
