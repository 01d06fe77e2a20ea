import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../city/load';
import {
  BENCHMARK_PROTOCOLS,
  DEFAULT_PROTOCOL,
  evaluationRows,
  type EvaluationProtocol,
} from '../city/protocol';
import type { City, Region } from '../city/types';
import { Rng } from '../random';
import { crossValidateRidge } from './crossValidate';
import { rawFeatures, zScore } from './features';
import { kFold, resolveFolds, type Fold } from './folds';
import {
  LITERATURE_SPLIT,
  SplitError,
  describeSplit,
  foldsOfClusters,
  formatSplit,
  kMeans,
  parseSplit,
  splitFolds,
  type SplitCity,
  type SplitSpec,
} from './splits';
import { evaluateAllTasks } from './tasks';
import { nestedCrossValidate } from './nested';
import { taskReport, withAlphas } from './taskReport';

const perms = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'permutations.json'), 'utf8'),
) as Record<string, number[]>;

/** A city of `centroids` (null: a region without geometry) for splitFolds. */
function cityOf(
  centroids: ([number, number] | null)[],
  protocol?: EvaluationProtocol,
  name = 'Testville',
): SplitCity {
  const regions: Region[] = centroids.map((centroid, i) => ({
    id: `R${i}`,
    name: `Region ${i}`,
    geometry: null,
    centroid,
  }));
  return {
    metadata: { name, source: 'test', licence: 'CC0' },
    regions,
    ...(protocol ? { protocol } : {}),
  };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Three well-separated groups of 12 points each (about 1 km across, 20 km apart), shuffled. */
function threeGroups(): { centroids: [number, number][]; group: number[] } {
  const rng = new Rng(3);
  const centres: [number, number][] = [
    [-87.9, 41.7],
    [-87.6, 41.9],
    [-87.9, 42.0],
  ];
  const order = rng.shuffle(range(36));
  const group = order.map((i) => i % 3);
  const centroids = group.map((g): [number, number] => [
    centres[g][0] + rng.uniform(-0.005, 0.005),
    centres[g][1] + rng.uniform(-0.005, 0.005),
  ]);
  return { centroids, group };
}

/** Sorted test folds, to compare partitions whatever their order. */
const partition = (folds: Fold[]): number[][] => folds.map((f) => [...f.test].sort((a, b) => a - b));

describe('parseSplit', () => {
  it('reads the three kinds and writes them back', () => {
    expect(parseSplit('literature')).toEqual({ kind: 'literature' });
    expect(parseSplit(' kfold:10:7 ')).toEqual({ kind: 'kfold', k: 10, seed: 7 });
    expect(parseSplit('spatial:5:1')).toEqual({ kind: 'spatial', k: 5, seed: 1 });
    expect(parseSplit('kfold:10:4294967295')).toEqual({ kind: 'kfold', k: 10, seed: 4294967295 });
    for (const text of ['literature', 'kfold:10:7', 'spatial:5:0'])
      expect(formatSplit(parseSplit(text))).toBe(text);
  });

  it('refuses each malformed split with its own reason', () => {
    const refusal = (text: string): string => {
      try {
        parseSplit(text);
      } catch (e) {
        expect(e).toBeInstanceOf(SplitError);
        return (e as Error).message;
      }
      throw new Error(`"${text}" was accepted`);
    };
    expect(refusal('spatial:0:1')).toBe(
      'split "spatial:0:1": the number of folds must be a whole number from 2 to 100000, got 0',
    );
    expect(refusal('kfold:1:1')).toBe(
      'split "kfold:1:1": the number of folds must be a whole number from 2 to 100000, got 1',
    );
    expect(refusal('kfold:x:1')).toBe('split "kfold:x:1": the number of folds "x" is not a number');
    expect(refusal('kfold:0x10:1')).toBe(
      'split "kfold:0x10:1": the number of folds "0x10" is not a decimal number (hexadecimal, octal and binary are not read)',
    );
    expect(refusal('kfold:2.5:1')).toBe(
      'split "kfold:2.5:1": the number of folds must be a whole number from 2 to 100000, got 2.5',
    );
    expect(refusal('spatial:5:-1')).toBe(
      'split "spatial:5:-1": the seed must be a whole number from 0 to 4294967295, got -1',
    );
    expect(refusal('spatial:5:')).toBe('split "spatial:5:": the seed "" is empty, not a number');
    expect(refusal('0x10')).toBe('"0x10" is not a split (use literature, kfold:K:SEED or spatial:K:SEED)');
    expect(refusal('')).toBe('the split is empty (use literature, kfold:K:SEED or spatial:K:SEED)');
    expect(refusal('kfold:5')).toBe(
      'split "kfold:5" needs a number of folds and a seed: kfold:K:SEED, e.g. kfold:5:1',
    );
    expect(refusal('spatial:5:1:2')).toBe(
      'split "spatial:5:1:2" needs a number of folds and a seed: spatial:K:SEED, e.g. spatial:5:1',
    );
    expect(refusal('literature:10')).toBe(
      'split "literature:10": literature takes no numbers (the city\'s own folds)',
    );
    expect(refusal('Spatial:5:1')).toBe(
      '"Spatial:5:1" is not a split (use literature, kfold:K:SEED or spatial:K:SEED)',
    );
  });
});

describe('describeSplit', () => {
  it('says what the folds are, for reports', () => {
    expect(describeSplit({ kind: 'spatial', k: 5, seed: 7 })).toBe(
      '5 spatial blocks (k-means of centroids, seed 7)',
    );
    expect(describeSplit({ kind: 'kfold', k: 10, seed: 7 })).toBe('10 shuffled folds (seed 7)');
    expect(describeSplit(LITERATURE_SPLIT, BENCHMARK_PROTOCOLS.chicago)).toBe(
      "the literature's folds of Chicago (25, shuffled)",
    );
    expect(describeSplit(LITERATURE_SPLIT)).toBe("the city's own folds (literature)");
  });
});

describe('splitFolds', () => {
  it("literature: exactly kFold of the protocol's settings (the folds scored before splits)", () => {
    for (const protocol of [BENCHMARK_PROTOCOLS.chicago, BENCHMARK_PROTOCOLS.nyc, DEFAULT_PROTOCOL]) {
      const city = cityOf(
        Array.from({ length: 180 }, () => null),
        protocol,
      );
      const rows = range(180).filter((i) => i % 7 !== 3); // the rows of a task with missing labels
      expect(splitFolds(LITERATURE_SPLIT, city, rows)).toEqual(kFold(rows.length, protocol.folds));
    }
    // A city without a protocol: the default's 10 folds shuffled with 2024.
    expect(
      splitFolds(
        LITERATURE_SPLIT,
        cityOf([null, null, null, null, null, null, null, null, null, null, null, null]),
        range(12),
      ),
    ).toEqual(kFold(12, { k: 10, shuffleSeed: 2024 }));
  });

  it("kfold:K:SEED is KFold(shuffle=True, random_state=SEED): consecutive slices of numpy's permutation", () => {
    const big = splitFolds({ kind: 'kfold', k: 7, seed: 12345 }, cityOf([]), range(1000));
    // 1000 = 7 * 142 + 6: six folds of 143, one of 142.
    expect(big.map((f) => f.test.length)).toEqual([143, 143, 143, 143, 143, 143, 142]);
    expect(big.flatMap((f) => f.test)).toEqual(perms.n1000_seed12345);
    expect(big[3].test).toEqual(perms.n1000_seed12345.slice(429, 572));
    const small = splitFolds({ kind: 'kfold', k: 5, seed: 0 }, cityOf([]), range(10));
    expect(small.map((f) => f.test)).toEqual([0, 2, 4, 6, 8].map((s) => perms.n10_seed0.slice(s, s + 2)));
    expect(small[0].train).toEqual(range(10).filter((i) => !small[0].test.includes(i)));
  });

  it('asks for no more folds than there are labelled rows', () => {
    expect(splitFolds({ kind: 'kfold', k: 10, seed: 1 }, cityOf([]), range(4))).toHaveLength(4);
  });

  it('spatial: every test fold is one whole k-means cluster, each row tested once', () => {
    const { centroids, group } = threeGroups();
    const city = cityOf(centroids);
    const folds = splitFolds({ kind: 'spatial', k: 3, seed: 1 }, city, range(36));
    expect(folds).toHaveLength(3);
    // The groups, whole: fold f tests exactly the rows of one group.
    for (const f of folds) {
      const g = group[f.test[0]];
      expect(f.test).toEqual(range(36).filter((i) => group[i] === g));
      expect(f.train).toEqual(range(36).filter((i) => group[i] !== g));
    }
    expect(resolveFolds(36, folds)).toBe(folds);
    // Ordered by their first row.
    expect(folds.map((f) => f.test[0])).toEqual([0, 1, 2].map((g) => group.indexOf(group[folds[g].test[0]])));
    expect(folds[0].test[0]).toBe(0);
    expect(folds[1].test[0]).toBeLessThan(folds[2].test[0]);
  });

  it('spatial: folds index the task rows, and their regions come from those rows only', () => {
    const { centroids, group } = threeGroups();
    // Rows of a task whose labels are missing on every fourth region, and a region (row 1)
    // whose centroid is missing but which has no label either.
    const withHole = centroids.map((c, i) => (i === 1 ? null : c));
    const rows = range(36).filter((i) => i % 4 !== 1);
    const folds = splitFolds({ kind: 'spatial', k: 3, seed: 4 }, cityOf(withHole), rows);
    expect(folds).toHaveLength(3);
    for (const f of folds) {
      const g = group[rows[f.test[0]]];
      expect(f.test).toEqual(range(rows.length).filter((i) => group[rows[i]] === g));
    }
  });

  it('spatial on Riverton: 5 blocks, whole, deterministic for a seed, different for another', async () => {
    const city = (
      await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton')))
    ).city as City;
    const rows = range(city.regions.length);
    const spatial = (seed: number): Fold[] => splitFolds({ kind: 'spatial', k: 5, seed }, city, rows);
    const folds = spatial(1);
    expect(folds).toHaveLength(5);
    expect(folds.map((f) => f.test.length)).toEqual([18, 35, 33, 43, 21]);
    const tested = folds.flatMap((f) => f.test).sort((a, b) => a - b);
    expect(tested).toEqual(rows);
    for (const f of folds) expect([...f.train, ...f.test].sort((a, b) => a - b)).toEqual(rows);
    expect(spatial(1)).toEqual(folds);
    expect(partition(spatial(2))).not.toEqual(partition(folds));
    // Compact: every region is closer to its own block's mean centroid than to any other's.
    const xy = (r: number): [number, number] => city.regions[r].centroid as [number, number];
    const cosLat = Math.cos((rows.reduce((s, r) => s + xy(r)[1], 0) / rows.length) * (Math.PI / 180));
    const means = folds.map((f) =>
      [0, 1].map((t) => f.test.reduce((s, r) => s + xy(r)[t], 0) / f.test.length),
    );
    const d2 = (r: number, m: number[]): number => ((xy(r)[0] - m[0]) * cosLat) ** 2 + (xy(r)[1] - m[1]) ** 2;
    folds.forEach((f, b) => {
      for (const r of f.test) for (const m of means) expect(d2(r, means[b])).toBeLessThanOrEqual(d2(r, m));
    });
  });

  it('refuses spatial blocks for a city without centroids, naming it and suggesting kfold', () => {
    const sf = cityOf(
      Array.from({ length: 20 }, () => null),
      undefined,
      'San Francisco (175 regions, no boundaries)',
    );
    expect(() => splitFolds({ kind: 'spatial', k: 5, seed: 1 }, sf, range(20))).toThrow(
      new SplitError(
        "San Francisco (175 regions, no boundaries): spatial blocks need the regions' centroids, and 20 of the 20 labelled regions have none (no geometry); use kfold:K:SEED (shuffled folds) instead",
      ),
    );
    expect(splitFolds({ kind: 'kfold', k: 5, seed: 1 }, sf, range(20))).toHaveLength(5);
  });

  it('refuses more spatial blocks than distinct centroids', () => {
    const city = cityOf([
      [0, 0],
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    expect(() => splitFolds({ kind: 'spatial', k: 3, seed: 1 }, city, range(5))).toThrow(
      new SplitError(
        'Testville: the labelled regions have only 2 distinct centroids, too few for 3 spatial blocks',
      ),
    );
    expect(partition(splitFolds({ kind: 'spatial', k: 2, seed: 1 }, city, range(5)))).toEqual([
      [0, 1, 4],
      [2, 3],
    ]);
  });
});

describe('kMeans', () => {
  it('recovers three well-separated groups from every seed, converged', () => {
    const { centroids, group } = threeGroups();
    const points = Float64Array.from(centroids.flat());
    for (const seed of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const { assignment, converged, iterations } = kMeans(points, 2, 3, seed);
      expect(converged).toBe(true);
      expect(iterations).toBeLessThan(10);
      // Same partition as the groups: cluster c holds exactly one group's points.
      for (let i = 0; i < 36; i++)
        for (let j = 0; j < 36; j++) expect(assignment[i] === assignment[j]).toBe(group[i] === group[j]);
    }
  });

  it('keeps every cluster non-empty and moves centres to their means', () => {
    // Points on a line: 0, 1, 2, 10, 11, 12, 20, 21, 22 in 4 clusters.
    const points = Float64Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22]);
    const { assignment, centres } = kMeans(points, 1, 4, 9);
    const sizes = [0, 0, 0, 0];
    assignment.forEach((c) => sizes[c]++);
    expect(sizes.every((s) => s > 0)).toBe(true);
    for (let c = 0; c < 4; c++) {
      const members = [...points].filter((_, i) => assignment[i] === c);
      expect(centres[c]).toBeCloseTo(members.reduce((a, b) => a + b, 0) / members.length, 12);
    }
  });

  it('makes one fold per cluster, ordered by first row', () => {
    expect(foldsOfClusters(Int32Array.from([2, 0, 2, 1, 0]), 3)).toEqual([
      { test: [0, 2], train: [1, 3, 4] },
      { test: [1, 4], train: [0, 2, 3] },
      { test: [3], train: [0, 1, 2, 4] },
    ]);
  });
});

describe('scoring on a split', () => {
  it('evaluateAllTasks without a split gives the figures of the protocol, bit for bit', async () => {
    const city = (
      await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton')))
    ).city as City;
    const f = zScore(rawFeatures(city, { log1p: true }));
    const before = city.labels.map((labels) => {
      const rows = evaluationRows(labels.values, labels.id, DEFAULT_PROTOCOL);
      const { mae, rmse, r2, n } = crossValidateRidge(
        f.data,
        f.d,
        labels.values,
        rows,
        DEFAULT_PROTOCOL.folds,
      );
      return { task: labels.id, mae, rmse, r2, n };
    });
    expect(evaluateAllTasks(f.data, f.d, city)).toEqual(before);
    expect(evaluateAllTasks(f.data, f.d, city, LITERATURE_SPLIT)).toEqual(before);
    const spatial = evaluateAllTasks(f.data, f.d, city, { kind: 'spatial', k: 5, seed: 1 });
    for (const [i, r] of spatial.entries()) {
      expect(Number.isFinite(r.r2)).toBe(true);
      expect(r.n).toBe(before[i].n);
      expect(r.r2).not.toBe(before[i].r2);
    }
  });

  it('taskReport on Riverton under spatial:5:1: 5 folds, a finite R², the default untouched', async () => {
    const city = (
      await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton')))
    ).city as City;
    const f = zScore(rawFeatures(city, { log1p: true }));
    const features = { data: f.data, d: f.d };
    const crime = city.labels.find((l) => l.id === 'crime');
    if (!crime) throw new Error('Riverton has crime labels');
    const split: SplitSpec = { kind: 'spatial', k: 5, seed: 1 };
    const report = taskReport('crime', crime.values, features, features, {
      folds: (rows) => splitFolds(split, city, rows),
    });
    expect(report.folds).toBe(5);
    expect(Number.isFinite(report.embedding.r2)).toBe(true);
    // The raw column is the raw set's nested selection on the split's folds, figure for figure.
    const rows = evaluationRows(crime.values, 'crime');
    const nested = nestedCrossValidate(
      withAlphas(features),
      crime.values,
      rows,
      splitFolds(split, city, rows),
    );
    expect(report.raw?.r2).toBe(nested.r2);
    const literature = taskReport('crime', crime.values, features, null);
    expect(literature.folds).toBe(10);
    expect(
      taskReport('crime', crime.values, features, null, {
        folds: (rows) => splitFolds(LITERATURE_SPLIT, city, rows),
      }),
    ).toEqual(literature);
    expect(report.embedding.r2).not.toBe(literature.embedding.r2);
  });
});
