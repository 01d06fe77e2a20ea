import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';

/** Which value colours the regions. */
export function ValuePicker({ loaded }: { loaded: LoadedCity }) {
  const valueId = useApp((s) => s.valueId);
  const setValueId = useApp((s) => s.setValueId);
  const groups = [...new Set(loaded.options.map((o) => o.group))];
  if (loaded.options.length === 0) return <p className="muted">This city has no values to colour by.</p>;
  return (
    <label className="field">
      Colour regions by
      <select value={valueId} onChange={(e) => setValueId(e.target.value)} data-testid="value-select">
        {groups.map((g) => (
          <optgroup key={g} label={g}>
            {loaded.options
              .filter((o) => o.group === g)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
