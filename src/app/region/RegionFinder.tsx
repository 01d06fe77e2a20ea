import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';

/** Keyboard-friendly way to select a region by name. */
export function RegionFinder({ loaded }: { loaded: LoadedCity }) {
  const selected = useApp((s) => s.selected);
  const select = useApp((s) => s.select);
  return (
    <label className="field">
      Region
      <select
        value={selected ?? ''}
        onChange={(e) => select(e.target.value === '' ? null : Number(e.target.value))}
        data-testid="region-select"
      >
        <option value="">None selected</option>
        {loaded.city.regions.map((r, i) => (
          <option key={r.id} value={i}>
            {r.name === r.id ? r.id : `${r.name} (${r.id})`}
          </option>
        ))}
      </select>
    </label>
  );
}
