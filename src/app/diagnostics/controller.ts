/**
 * Spatial diagnostics of the layer on the map, as GeoDa users run them: Moran's I of the values
 * shown and their LISA cluster map, computed in a worker, then a layer of its own beside the
 * data ("Spatial diagnostics"), shown at once.
 */
import type { WeightsKind } from '../../core/eval/spatialLag';
import type { SpatialPattern } from '../../core/spatial/moran';
import { clusterLayerId, testable } from '../map/layers';
import { valuesFor, type ValueOption } from '../region/regionStats';
import type { AppStore } from '../state/store';
import type { TestLayer } from './spatialWorker';

/** The LISA layer of a tested option: its value option and its values (NaN: no value). */
export function clusterLayer(
  option: Pick<ValueOption, 'id' | 'label'>,
  pattern: SpatialPattern,
): { option: ValueOption; values: Float64Array } {
  return {
    option: {
      id: clusterLayerId(option.id),
      label: `${option.label}: where it clusters (LISA)`,
      group: 'Your tests',
      note: `Local Moran’s I over the ${pattern.regions} regions with a value, ${pattern.permutations} permutations, p ≤ 0.05; spatial weights: ${pattern.spatialWeights}. Global Moran’s I ${pattern.moransI.toFixed(3)} (pseudo p ${pattern.moransIPValue.toFixed(3)}; ${pattern.expected.toFixed(3)} with no pattern).`,
    },
    values: Float64Array.from(pattern.lisa, (c) => (c < 0 ? NaN : c)),
  };
}

export interface DiagnosticsController {
  /**
   * Test the layer shown for spatial clustering and show its cluster map; resolves with the
   * pattern, or rejects saying why (no spatial weights, too few values, a layer not testable).
   */
  testShownLayer(weights?: WeightsKind): Promise<SpatialPattern>;
}

export function diagnosticsController(store: AppStore, test: TestLayer): DiagnosticsController {
  return {
    async testShownLayer(weights = 'nearest') {
      const { current, valueId } = store.getState();
      if (!current) throw new Error('no city is open');
      const option = current.options.find((o) => o.id === valueId);
      if (!option || !testable(valueId))
        throw new Error('choose a data, label, prediction or residual layer to test');
      const values = current.derived[valueId] ?? valuesFor(current.city, current.stats, valueId);
      if (!values) throw new Error(`the layer ${option.label} has no values`);
      const pattern = await test({ city: current.city, values: Float64Array.from(values), weights });
      const layer = clusterLayer(option, pattern);
      store
        .getState()
        .addDerivedValues(
          current.loadId,
          [layer.option],
          { [layer.option.id]: layer.values },
          layer.option.id,
        );
      return pattern;
    },
  };
}
