import { useState } from 'react';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';
import { finderOptions } from './finderOptions';

/** Keyboard-friendly way to select a region by name. */
export function RegionFinder({ loaded }: { loaded: LoadedCity }) {
  const selected = useApp((s) => s.selected);
  const select = useApp((s) => s.select);
  // The load whose list was opened or focused: a large city's options are made then.
  const [usedFor, setUsedFor] = useState<string | null>(null);
  const use = (): void => setUsedFor(loaded.loadId);
  const options = finderOptions(loaded.city.regions, selected, usedFor === loaded.loadId);
  return (
    <label className="field">
      Region
      <select
        value={selected ?? ''}
        onChange={(e) => select(e.target.value === '' ? null : Number(e.target.value))}
        onFocus={use}
        onPointerDown={use}
        data-testid="region-select"
      >
        <option value="">None selected</option>
        {options.map((o) => (
          <option key={o.index} value={o.index}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
