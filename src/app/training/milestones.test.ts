import { describe, expect, it } from 'vitest';
import type { TrainingRun } from '../state/training';
import { trainingMilestone } from './milestones';

type Run = Pick<TrainingRun, 'status' | 'epochs' | 'history'>;
const run = (status: Run['status'], done: number, epochs = 20): Run => ({
  status,
  epochs,
  history: Array.from({ length: done }, () => ({}) as TrainingRun['history'][number]),
});

describe('trainingMilestone', () => {
  it('says the run started while the backend is chosen and through its first quarter', () => {
    expect(trainingMilestone(run('probing', 0))).toBe('Training started: 20 epochs.');
    expect(trainingMilestone(run('training', 0))).toBe('Training started: 20 epochs.');
    expect(trainingMilestone(run('training', 4))).toBe('Training started: 20 epochs.');
  });

  it('changes only at each quarter of the epochs, not at every epoch', () => {
    const said = Array.from({ length: 21 }, (_, done) => trainingMilestone(run('training', done)));
    expect([...new Set(said)]).toEqual([
      'Training started: 20 epochs.',
      'Training 25% done.',
      'Training 50% done.',
      'Training 75% done.',
      'Training 100% done.',
    ]);
    expect(said[5]).toBe('Training 25% done.');
    expect(said[9]).toBe('Training 25% done.');
  });

  it('reaches the quarters of a run with fewer epochs than four', () => {
    expect(trainingMilestone(run('training', 1, 3))).toBe('Training 25% done.');
    expect(trainingMilestone(run('training', 2, 3))).toBe('Training 50% done.');
    expect(trainingMilestone(run('training', 3, 3))).toBe('Training 100% done.');
  });

  it('says paused, cross-validating, finished, cancelled and failed', () => {
    expect(trainingMilestone(run('paused', 7))).toBe('Training paused after epoch 7 of 20.');
    expect(trainingMilestone(run('evaluating', 20))).toBe('Training 100% done; cross-validating the tasks.');
    expect(trainingMilestone(run('done', 20))).toBe('Training finished: the results are below.');
    expect(trainingMilestone(run('cancelled', 3))).toBe('Training cancelled.');
    expect(trainingMilestone(run('failed', 3))).toBe('Training failed.');
  });
});
