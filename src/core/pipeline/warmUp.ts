/**
 * A practice epoch before a run is asked for: one epoch of SREL on a tiny synthetic city, then
 * the model is dropped. The first epoch of a run pays one-time costs whatever the city's size
 * (JavaScript compiled, kernels set up, WebAssembly threads started): about 2.4 s of a 3 s
 * first epoch against 0.6 s for the next, on a 20-region city on a loaded 2-core machine
 * (Node, WebAssembly). The app's training worker pays them while the page is idle, so the
 * first epoch after a click on Train costs what any epoch does.
 */
import { generateSyntheticCity } from '../samples/generateCity';
import type { SrelConfig } from '../srel/config';
import { SrelModel, srelDims } from '../srel/train';
import { srelInputsOf } from './inputs';

/** Regions of the practice city: enough for every view and prior to be non-trivial, few enough to take no time. */
export const PRACTICE_REGIONS = 20;

/** Train one epoch on the practice city with `config` (its architecture; one epoch, seed 0) and drop the model. */
export async function practiceEpoch(config: Partial<SrelConfig> = {}): Promise<void> {
  const city = generateSyntheticCity({ seed: 0, regions: PRACTICE_REGIONS, name: 'Practice' });
  const practice: Partial<SrelConfig> = { ...config, epochs: 1, seed: 0 };
  const inputs = srelInputsOf(city, practice);
  const model = new SrelModel(practice, srelDims(inputs));
  try {
    await model.train(inputs, { epochs: 1 });
  } finally {
    model.dispose();
  }
}
