/**
 * The training settings a user chooses (the app's Training settings, the headless run's
 * flags), and the SREL config they give.
 */
import type { SplitSpec } from '../eval/splits';
import type { SrelConfig } from '../srel/config';
import type { BackendPreference } from './types';

export interface TrainSettings {
  epochs: number;
  embeddingSize: number;
  regionFusionLayers: number;
  heads: number;
  distancePrior: boolean;
  centrality: boolean;
  backend: BackendPreference;
  /** Train from scratch, or fine-tune the shipped pretrained model or an imported one. */
  start: 'scratch' | 'pretrained' | 'imported';
  /**
   * How tasks are scored: the city's folds (random; the literature's on the benchmark), or
   * spatial blocks, each test fold a district (SPATIAL_SCORING). Absent in older saved runs:
   * the city's folds.
   */
  scoring?: 'folds' | 'spatial';
}

/**
 * Spatial blocks as the app scores them: 5 k-means districts of the labelled regions' centroids
 * (seed 1), each held out whole, as when an analyst labels part of a city and predicts the rest.
 */
export const SPATIAL_SCORING: SplitSpec = { kind: 'spatial', k: 5, seed: 1 };

/** The split a run is scored on: undefined for the city's own folds. */
export function splitOf(settings: Pick<TrainSettings, 'scoring'>): SplitSpec | undefined {
  return settings.scoring === 'spatial' ? SPATIAL_SCORING : undefined;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  epochs: 300,
  embeddingSize: 144,
  regionFusionLayers: 2,
  heads: 4,
  distancePrior: true,
  centrality: true,
  backend: 'auto',
  start: 'scratch',
  scoring: 'folds',
};

/** The SREL config of the settings (every other field keeps its default, the seed included). */
export function srelConfigFrom(settings: TrainSettings): Partial<SrelConfig> {
  return {
    epochs: settings.epochs,
    embeddingSize: settings.embeddingSize,
    regionFusionLayers: settings.regionFusionLayers,
    heads: settings.heads,
    priors: { distance: settings.distancePrior, centrality: settings.centrality, hops: false },
  };
}
