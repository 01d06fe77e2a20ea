import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { progressBar } from './queue';
import { jobId, jobsFor, sweepRuns } from './queueJobs';

const dir = mkdtempSync(join(tmpdir(), 'topt-sweep-'));
mkdirSync(join(dir, 'a')); // a city folder (its contents are read by the worker, not here)
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sweep = (name: string, data: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(data));
  return path;
};

describe('the queue’s jobs', () => {
  it('a grid sweep gives every combination, cities relative to the file, settings as train flags', () => {
    const runs = sweepRuns(
      sweep('grid.json', { cities: ['a', '/abs/b'], seeds: [0, 1], epochs: 60, 'no-centrality': true }),
    );
    expect(runs).toEqual([
      { city: join(dir, 'a'), args: ['--seed', '0', '--epochs', '60', '--no-centrality'] },
      { city: join(dir, 'a'), args: ['--seed', '1', '--epochs', '60', '--no-centrality'] },
      { city: '/abs/b', args: ['--seed', '0', '--epochs', '60', '--no-centrality'] },
      { city: '/abs/b', args: ['--seed', '1', '--epochs', '60', '--no-centrality'] },
    ]);
  });

  it('a list sweep gives its runs as written', () => {
    expect(sweepRuns(sweep('runs.json', { runs: [{ city: 'https://example.org/c/', heads: 2 }] }))).toEqual([
      { city: 'https://example.org/c/', args: ['--heads', '2'] },
    ]);
  });

  it('a job id names the city, epochs and seed, and hashes every setting', () => {
    expect(jobId('/x/riverton', ['--epochs', '60', '--seed', '2'])).toMatch(/^riverton-e60-s2-[0-9a-f]{8}$/);
    expect(jobId('/x/riverton', ['--epochs', '60'])).not.toBe(
      jobId('/x/riverton', ['--epochs', '60', '--heads', '2']),
    );
    expect(jobId('/x/Chicago Areas.zip', [])).toMatch(/^chicago-areas-e300-s0-/);
  });

  it('bad settings and repeated runs are refused before anything is queued', () => {
    expect(() => jobsFor([sweep('bad.json', { cities: ['a'], epochs: 0 })], [], dir)).toThrow(
      '--epochs must be an integer of at least 1, got "0"',
    );
    expect(() => jobsFor([sweep('twice.json', { cities: ['a', 'a'] })], [], dir)).toThrow(
      'two runs have the same city and settings',
    );
    expect(() => sweepRuns(sweep('neither.json', { city: 'a' }))).toThrow('expected {"runs": [...]}');
    expect(() => jobsFor([join(dir, 'b')], [], dir)).toThrow(
      `${join(dir, 'b')}: no such city folder or file`,
    );
  });

  it('the progress bar fills with the epochs and says the time left', () => {
    expect(
      progressBar({ phase: 'training', epoch: 15, epochs: 60, secondsLeft: 75, resumedFrom: 10 }, 8),
    ).toBe('[##------] epoch 15 of 60 · about 1:15 left · resumed after epoch 10');
    expect(
      progressBar({ phase: 'evaluating', epoch: 60, epochs: 60, secondsLeft: null, resumedFrom: null }, 4),
    ).toBe('[####] scoring the tasks');
  });
});
