import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { practiceEpoch } from './warmUp';

describe('practiceEpoch', () => {
  it('trains one epoch on the practice city and leaves no tensor behind', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    await practiceEpoch({ embeddingSize: 16, regionFusionLayers: 1, heads: 2, epochs: 500 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
