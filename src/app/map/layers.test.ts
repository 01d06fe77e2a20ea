import { describe, expect, it } from 'vitest';
import { LISA_KINDS } from '../../core/spatial/moran';
import { LISA_COLORS, layerKind, layerKinds, layerScale, optionsOfKind } from './layers';

const options = [
  { id: 'poi-total' },
  { id: 'poi:3' },
  { id: 'label:crime' },
  { id: 'predicted:crime' },
  { id: 'residual:crime' },
  { id: 'prompt:crime' },
  { id: 'prompt-residual:crime' },
  { id: 'lisa:crime' },
  { id: 'draft:labels' },
];

describe('map layer kinds', () => {
  it('sorts every value option into data, labels, predictions, residuals or diagnostics', () => {
    expect(options.map((o) => layerKind(o.id))).toEqual([
      'data',
      'data',
      'labels',
      'predictions',
      'residuals',
      'predictions',
      'residuals',
      'diagnostics',
      'labels',
    ]);
  });

  it('offers only the kinds a city has, in a fixed order, before training only data and labels', () => {
    expect(layerKinds(options)).toEqual(['data', 'labels', 'predictions', 'residuals', 'diagnostics']);
    expect(layerKinds([{ id: 'label:crime' }, { id: 'poi-total' }])).toEqual(['data', 'labels']);
    expect(optionsOfKind(options, 'residuals').map((o) => o.id)).toEqual([
      'residual:crime',
      'prompt-residual:crime',
    ]);
  });

  it('colours residuals on a diverging scale and the LISA map in GeoDa’s colours', () => {
    expect(layerScale('residual:crime').kind).toBe('diverging');
    expect(layerScale('poi-total').kind).toBe('sequential');
    const lisa = layerScale('lisa:crime');
    expect(lisa.kind === 'categorical' && lisa.categories.map((c) => c.color)).toEqual(
      LISA_KINDS.map((k) => LISA_COLORS[k]),
    );
  });
});
