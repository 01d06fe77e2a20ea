import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';
import { LAYER_KINDS, layerKind, layerKinds, optionsOfKind, type LayerKind } from './layers';

/**
 * Which value colours the regions, in two steps as an analyst looks for it: the kind of layer
 * (data, labels, predictions, residuals, spatial diagnostics), then the value within it.
 */
export function ValuePicker({ loaded }: { loaded: LoadedCity }) {
  const valueId = useApp((s) => s.valueId);
  const setValueId = useApp((s) => s.setValueId);
  if (loaded.options.length === 0) return <p className="muted">This city has no values to colour by.</p>;
  const kinds = layerKinds(loaded.options);
  const kind = layerKind(valueId);
  const shown = optionsOfKind(loaded.options, kind);
  const groups = [...new Set(shown.map((o) => o.group))];
  const pickKind = (k: LayerKind): void => {
    const first = optionsOfKind(loaded.options, k)[0];
    if (first) setValueId(first.id);
  };
  return (
    <div className="value-picker">
      <label className="field">
        Show
        <select
          value={kind}
          onChange={(e) => pickKind(e.target.value as LayerKind)}
          data-testid="layer-kind-select"
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {LAYER_KINDS[k]} ({optionsOfKind(loaded.options, k).length})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Colour regions by
        <select value={valueId} onChange={(e) => setValueId(e.target.value)} data-testid="value-select">
          {groups.map((g) => (
            <optgroup key={g} label={g}>
              {shown
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
    </div>
  );
}
