/** The colouring of the current city: values of the chosen option, classes and colour per region. */
import { useMemo } from 'react';
import { layerScale } from './layers';
import {
  classify,
  classifyCategories,
  classifyDiverging,
  regionColors,
  type Classification,
  type Rgba,
  type ValueScale,
} from './palette';
import { valuesFor, type ValueOption } from '../region/regionStats';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';
import type { Settings } from '../state/view';

export interface Coloring {
  option: ValueOption | null;
  values: Float64Array | null;
  classification: Classification;
  colors: Rgba[];
  /** Sequential, diverging around 0 (residuals) or categories (the LISA map). */
  scale: ValueScale;
}

export type ColoringSettings = Pick<Settings, 'palette' | 'classes' | 'method'>;

export function computeColoring(loaded: LoadedCity, valueId: string, settings: ColoringSettings): Coloring {
  const option = loaded.options.find((o) => o.id === valueId) ?? null;
  const values = option
    ? (loaded.derived[option.id] ?? valuesFor(loaded.city, loaded.stats, option.id))
    : null;
  const n = loaded.city.regions.length;
  const shown = values ?? new Float64Array(n).fill(NaN);
  const scale = layerScale(valueId);
  const classification =
    scale.kind === 'categorical'
      ? classifyCategories(shown, scale.categories)
      : scale.kind === 'diverging'
        ? classifyDiverging(shown, settings.classes, settings.method)
        : classify(shown, settings.classes, settings.method, settings.palette);
  return { option, values, classification, colors: regionColors(classification), scale };
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
