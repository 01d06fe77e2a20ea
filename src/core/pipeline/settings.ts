/**
 * The training settings a user chooses (the app's Training settings, the headless run's
 * flags), and the SREL config they give.
 */
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
