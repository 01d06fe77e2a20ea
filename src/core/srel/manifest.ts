/**
 * Plain operations on a saved model's manifest, without TensorFlow.js (serialize.ts loads it):
 * the page's export buttons use them, and the first view must not load tfjs.
 */
import type { SrelManifest } from './serialize';

/**
 * The manifest naming `file` as its weights file (one group, one file, as saveSrel writes):
 * an exported model's pair stays consistent when the weights are named by city and date.
 */
export function withWeightsFile(manifest: SrelManifest, file: string): SrelManifest {
  return { ...manifest, weightsManifest: manifest.weightsManifest.map((g) => ({ ...g, paths: [file] })) };
}
