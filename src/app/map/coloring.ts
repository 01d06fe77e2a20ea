/** The colouring of the current city: values of the chosen option, classes and colour per region. */
import { useMemo } from 'react';
import { classify, regionColors, type Classification, type Rgba } from './palette';
import { valuesFor, type ValueOption } from '../region/regionStats';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';
import type { Settings } from '../state/view';

export interface Coloring {
  option: ValueOption | null;
  values: Float64Array | null;
  classification: Classification;
  colors: Rgba[];
}

export type ColoringSettings = Pick<Settings, 'palette' | 'classes' | 'method'>;

export function computeColoring(loaded: LoadedCity, valueId: string, settings: ColoringSettings): Coloring {
  const option = loaded.options.find((o) => o.id === valueId) ?? null;
  const values = option
    ? (loaded.derived[option.id] ?? valuesFor(loaded.city, loaded.stats, option.id))
    : null;
  const n = loaded.city.regions.length;
  const classification = classify(
    values ?? new Float64Array(n).fill(NaN),
    settings.classes,
    settings.method,
    settings.palette,
  );
  return { option, values, classification, colors: regionColors(classification) };
}

export function useColoring(loaded: LoadedCity): Coloring {
  const valueId = useApp((s) => s.valueId);
  const palette = useApp((s) => s.settings.palette);
  const classes = useApp((s) => s.settings.classes);
  const method = useApp((s) => s.settings.method);
  return useMemo(
    () => computeColoring(loaded, valueId, { palette, classes, method }),
    [loaded, valueId, palette, classes, method],
  );
}
