/**
 * The kinds of map layer a value option belongs to (the first of the two pickers: data,
 * labels, predictions, residuals, diagnostics) and how each is coloured: residuals on a
 * diverging palette centred on 0, the LISA cluster map in GeoDa's colours, the rest sequential.
 */
import { LISA_KINDS, type LisaKind } from '../../core/spatial/moran';
import type { ValueOption } from '../region/regionStats';
import type { Rgba, ValueScale } from './palette';

export type LayerKind = 'data' | 'labels' | 'predictions' | 'residuals' | 'diagnostics';

export const LAYER_KINDS: Record<LayerKind, string> = {
  data: 'Data (counts, POIs, land use)',
  labels: 'Task labels',
  predictions: 'Predictions',
  residuals: 'Residuals (predicted − actual)',
  diagnostics: 'Spatial diagnostics',
};

const ORDER: LayerKind[] = ['data', 'labels', 'predictions', 'residuals', 'diagnostics'];

/** The kind of a value option, from its id. */
export function layerKind(id: string): LayerKind {
  const prefix = id.split(':')[0];
  if (prefix === 'residual' || prefix === 'prompt-residual') return 'residuals';
  if (prefix === 'lisa' || prefix === 'lisa-of') return 'diagnostics';
  if (prefix === 'predicted' || prefix === 'prompt') return 'predictions';
  if (prefix === 'label' || prefix === 'draft') return 'labels';
  return 'data';
}

/** The kinds present among `options`, in picker order. */
export function layerKinds(options: Pick<ValueOption, 'id'>[]): LayerKind[] {
  const present = new Set(options.map((o) => layerKind(o.id)));
  return ORDER.filter((k) => present.has(k));
}

/** The options of one kind, in their own order. */
export const optionsOfKind = <T extends Pick<ValueOption, 'id'>>(options: T[], kind: LayerKind): T[] =>
  options.filter((o) => layerKind(o.id) === kind);

/** GeoDa's LISA cluster map colours, by kind. */
export const LISA_COLORS: Record<LisaKind, Rgba> = {
  'high-high': [255, 0, 0, 255],
  'low-low': [0, 0, 255, 255],
  'low-high': [167, 173, 249, 255],
  'high-low': [244, 173, 168, 255],
  'not significant': [238, 238, 238, 255],
  'no neighbours': [153, 153, 153, 255],
};

/** What the LISA kinds mean for residuals (predicted − actual), for the legend. */
const LISA_LABELS: Record<LisaKind, string> = {
  'high-high': 'high-high: over-predicted among over-predicted',
  'low-low': 'low-low: under-predicted among under-predicted',
  'low-high': 'low-high: under-predicted among over-predicted',
  'high-low': 'high-low: over-predicted among under-predicted',
  'not significant': 'not significant',
  'no neighbours': 'no labelled neighbour',
};

/** The same kinds for any layer (a user's test of the layer shown). */
const LISA_LABELS_ANY: Record<LisaKind, string> = {
  'high-high': 'high-high: high among high',
  'low-low': 'low-low: low among low',
  'low-high': 'low-high: low among high',
  'high-low': 'high-low: high among low',
  'not significant': 'not significant',
  'no neighbours': 'no neighbour with a value',
};

/** How an option's values are coloured. */
export function layerScale(id: string): ValueScale {
  const kind = layerKind(id);
  if (kind === 'residuals')
    return { kind: 'diverging', negative: 'under-predicted', positive: 'over-predicted' };
  if (kind === 'diagnostics') {
    const labels = id.startsWith('lisa-of:') ? LISA_LABELS_ANY : LISA_LABELS;
    return {
      kind: 'categorical',
      categories: LISA_KINDS.map((k) => ({ label: labels[k], color: LISA_COLORS[k] })),
    };
  }
  return { kind: 'sequential' };
}

/** The id of the LISA layer a user's test of layer `valueId` adds. */
export const clusterLayerId = (valueId: string): string => `lisa-of:${valueId}`;

/** Layers a user may test for spatial clustering: any but a cluster map itself. */
export const testable = (valueId: string): boolean => layerKind(valueId) !== 'diagnostics';
