import type { Coloring } from '../map/coloring';
import { NO_VALUE_COLOR, toCss } from '../map/palette';
import { formatNumber } from './regionStats';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';

/** All regions as a table (for cities without boundaries); a row click selects the region. */
export function RegionTable({ loaded, coloring }: { loaded: LoadedCity; coloring: Coloring }) {
  const selected = useApp((s) => s.selected);
  const select = useApp((s) => s.select);
  const { values, colors, option } = coloring;
  return (
    <div className="region-table-wrap">
      <table className="region-table">
        <thead>
          <tr>
            <th scope="col">id</th>
            <th scope="col">name</th>
            <th scope="col">{option?.label ?? 'value'}</th>
          </tr>
        </thead>
        <tbody>
          {loaded.city.regions.map((r, i) => (
            <tr key={r.id} className={selected === i ? 'selected' : undefined} aria-selected={selected === i}>
              <td>
                <button type="button" className="link" onClick={() => select(i)}>
                  {r.id}
                </button>
              </td>
              <td>{r.name}</td>
              <td>
                <span
                  className="swatch"
                  style={{ background: toCss(colors[i] ?? NO_VALUE_COLOR) }}
                  aria-hidden="true"
                />
                {values ? formatNumber(values[i]) : '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
