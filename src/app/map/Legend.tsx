import { useId, useState } from 'react';
import type { Coloring } from './coloring';
import { NO_VALUE_COLOR, toCss } from './palette';
import { NO_VALUE_OUTLINE } from './regionLayers';
import { formatNumber } from '../region/regionStats';

/** Class breaks of the value shown, with their colours and region counts. */
export function Legend({ coloring }: { coloring: Coloring }) {
  // On a small screen the legend covers much of the map: it can be hidden (the button shows
  // only there, see styles.css; on a wide screen the legend is always shown).
  const [collapsed, setCollapsed] = useState(false);
  const bodyId = useId();
  const { option, classification, scale } = coloring;
  if (!option) return null;
  const { classes, missing, uniform } = classification;
  return (
    <figure
      className={collapsed ? 'legend collapsed' : 'legend'}
      aria-label={`Legend: ${option.label}`}
      data-testid="legend"
    >
      <figcaption>
        {option.label}
        <button
          type="button"
          className="legend-toggle"
          aria-label={collapsed ? 'Show legend' : 'Hide legend'}
          aria-expanded={!collapsed}
          aria-controls={bodyId}
          onClick={() => setCollapsed(!collapsed)}
        >
          {collapsed ? 'Show' : 'Hide'}
        </button>
      </figcaption>
      <div className="legend-body" id={bodyId}>
        <ul>
          {classes.map((c, i) => (
            <li key={i}>
              <span className="swatch" style={{ background: toCss(c.color) }} aria-hidden="true" />
              <span className="range">
                {c.label ??
                  (c.min === c.max ? formatNumber(c.min) : `${formatNumber(c.min)} – ${formatNumber(c.max)}`)}
              </span>
              <span className="count">{c.count}</span>
            </li>
          ))}
          {missing > 0 && (
            <li>
              <span
                className="swatch"
                style={{
                  background: toCss(NO_VALUE_COLOR),
                  borderColor: toCss(NO_VALUE_OUTLINE),
                  borderWidth: 1.5,
                }}
                aria-hidden="true"
              />
              <span className="range">no value</span>
              <span className="count">{missing}</span>
            </li>
          )}
        </ul>
        {uniform && classes[0] && (
          <p className="legend-note" data-testid="legend-uniform">
            {uniformSentence(classes[0].min, classes[0].max, missing > 0)}
          </p>
        )}
        {scale.kind === 'diverging' && !uniform && (
          <p className="legend-note">
            Centred on 0: blue {scale.negative}, red {scale.positive}, deeper further from 0.
          </p>
        )}
        {option.note && <p className="legend-note">{option.note}</p>}
      </div>
    </figure>
  );
}

/** Why the legend has one class: one value, or values closer than the legend can show. */
export function uniformSentence(min: number, max: number, someMissing: boolean): string {
  const regions = someMissing ? 'Every region with a value' : 'Every region';
  return min === max
    ? `${regions} has ${formatNumber(min)}: one class.`
    : `${regions} has about ${formatNumber(min)}: the values differ by less than the legend shows, so one class.`;
}
