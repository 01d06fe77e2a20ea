/**
 * Trips became CSR (issue 15); every number read from them must stay what it was. The dense
 * reference below is the code as it was before, reading an N x N row-major trip matrix; the
 * tests build each value from the City (sparse) and from its dense copy and ask for the same
 * bits.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_DIR } from '../../test/benchmark';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../city/load';
import type { City, Matrix } from '../city/types';
import { rawFeatures } from '../eval/features';
import { sparseToDense } from '../math/sparse';
import { standardiseColumns } from '../math/stats';
import { mobilityCentrality, tripProximity } from '../spatial/prior';
import { buildSpatialPriors } from '../spatial/priors';
import { srelInputs } from './inputs';

// ------------------------------------------------------------------------------------------
// The dense reference (the code before trips became sparse, unchanged but for names).

function denseFlowWeightedMean(
  w: (i: number, j: number) => number,
  z: Float32Array,
  n: number,
  d: number,
): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let j = 0; j < n; j++) total += w(i, j);
    if (total === 0) continue;
    for (let j = 0; j < n; j++) {
      const share = w(i, j) / total;
      if (share === 0) continue;
      for (let k = 0; k < d; k++) out[i * d + k] += share * z[j * d + k];
    }
  }
  return out;
}

function denseMobilityFeatures(
  trips: Matrix,
  poi: Float32Array,
  poiDim: number,
  landUse: Float32Array,
  landUseDim: number,
): Float32Array {
  const n = trips.rows;
  const t = trips.data;
  const profileDim = poiDim + landUseDim;
  const profile = new Float32Array(n * profileDim);
  const poiZ = standardiseColumns(poi, n, poiDim);
  const landZ = standardiseColumns(landUse, n, landUseDim);
  for (let i = 0; i < n; i++) {
    profile.set(poiZ.subarray(i * poiDim, (i + 1) * poiDim), i * profileDim);
    profile.set(landZ.subarray(i * landUseDim, (i + 1) * landUseDim), i * profileDim + poiDim);
  }
  const outTo = denseFlowWeightedMean((i, j) => t[i * n + j], profile, n, profileDim);
  const inFrom = denseFlowWeightedMean((i, j) => t[j * n + i], profile, n, profileDim);
  const totals = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let out = 0;
    let inn = 0;
    for (let j = 0; j < n; j++) {
      out += t[i * n + j];
      inn += t[j * n + i];
    }
    totals[i * 2] = Math.log1p(out);
    totals[i * 2 + 1] = Math.log1p(inn);
  }
  const totalsZ = standardiseColumns(totals, n, 2);
  const dim = 2 + 2 * profileDim;
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    data.set(totalsZ.subarray(i * 2, i * 2 + 2), i * dim);
    data.set(outTo.subarray(i * profileDim, (i + 1) * profileDim), i * dim + 2);
    data.set(inFrom.subarray(i * profileDim, (i + 1) * profileDim), i * dim + 2 + profileDim);
  }
  return data;
}

function denseMobilityTarget(target: Matrix): Float32Array {
  let mean = 0;
  for (const v of target.data) mean += v;
  mean /= target.data.length;
  return Float32Array.from(target.data, (v) => (mean > 0 ? v / mean : 0));
}

function denseTripFlow(trips: Matrix): Float32Array {
  const n = trips.rows;
  const tripFlow = new Float32Array(n * n);
  let maxFlow = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const v = Math.log1p(trips.data[i * n + j] + trips.data[j * n + i]);
      tripFlow[i * n + j] = v;
      if (v > maxFlow) maxFlow = v;
    }
  if (maxFlow > 0) for (let k = 0; k < tripFlow.length; k++) tripFlow[k] /= maxFlow;
  return tripFlow;
}

function denseRawFeatures(city: City, trips: Matrix | null, log1p: boolean): Float64Array {
  const n = city.regions.length;
  const blocks: { cols: number; value: (i: number, j: number) => number }[] = [];
  const { poi, landUse } = city.views;
  if (poi) blocks.push({ cols: poi.cols, value: (i, j) => poi.data[i * poi.cols + j] });
  if (landUse) blocks.push({ cols: landUse.cols, value: (i, j) => landUse.data[i * landUse.cols + j] });
  if (trips) {
    blocks.push({ cols: n, value: (i, j) => trips.data[i * n + j] });
    blocks.push({ cols: n, value: (i, j) => trips.data[j * n + i] });
  }
  const d = blocks.reduce((s, b) => s + b.cols, 0);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let offset = 0;
    for (const b of blocks) {
      for (let j = 0; j < b.cols; j++) {
        const v = b.value(i, j);
        data[i * d + offset + j] = log1p ? Math.log1p(v) : v;
      }
      offset += b.cols;
    }
  }
  return data;
}

function denseTripProximity(trips: Float64Array, n: number): Float64Array {
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) if (j !== i) s += trips[i * n + j];
    if (s > 0) for (let j = 0; j < n; j++) if (j !== i) r[i * n + j] = trips[i * n + j] / s;
  }
  const p = new Float64Array(n * n);
  let max = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const v = (r[i * n + j] + r[j * n + i]) / 2;
      p[i * n + j] = v;
      if (v > max) max = v;
    }
  if (max > 0) for (let k = 0; k < p.length; k++) p[k] /= max;
  return p;
}

function denseMobilityCentrality(trips: Float64Array, n: number): Float64Array {
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      deg[i] += trips[i * n + j];
      deg[j] += trips[i * n + j];
    }
  const max = Math.max(0, ...deg);
  return max > 0 ? deg.map((d) => d / max) : deg;
}

// ------------------------------------------------------------------------------------------

/** The first index where a and b differ in their bits (Object.is), or -1; lengths must match. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

const denseTrips = (city: City, which: 'trips' | 'mobilityTarget'): Matrix | null => {
  const m = city.views[which];
  return m ? { rows: m.rows, cols: m.cols, data: sparseToDense(m) } : null;
};

function expectSameAsDense(city: City): void {
  const trips = denseTrips(city, 'trips') as Matrix;
  const n = city.regions.length;
  const priors = buildSpatialPriors(city);
  for (const countFeatures of ['log1p', 'log1p+linear'] as const) {
    const inputs = srelInputs(city, priors, { countFeatures });
    const poiLog = Float32Array.from(city.views.poi!.data, (v) => Math.log1p(v));
    const landLog = Float32Array.from(city.views.landUse!.data, (v) => Math.log1p(v));
    const mobility = denseMobilityFeatures(
      trips,
      poiLog,
      city.views.poi!.cols,
      landLog,
      city.views.landUse!.cols,
    );
    expect(firstDifference(inputs.mobility, mobility)).toBe(-1);
    expect(firstDifference(inputs.tripFlow, denseTripFlow(trips))).toBe(-1);
    const target = denseTrips(city, 'mobilityTarget') ?? trips;
    expect(firstDifference(inputs.mobilityTarget, denseMobilityTarget(target))).toBe(-1);
  }
  for (const log1p of [false, true]) {
    const raw = rawFeatures(city, { log1p });
    expect(raw.d).toBe(city.views.poi!.cols + city.views.landUse!.cols + 2 * n);
    expect(firstDifference(raw.data, denseRawFeatures(city, trips, log1p))).toBe(-1);
  }
  expect(firstDifference(tripProximity(city.views.trips!), denseTripProximity(trips.data, n))).toBe(-1);
  expect(firstDifference(mobilityCentrality(city.views.trips!), denseMobilityCentrality(trips.data, n))).toBe(
    -1,
  );
}

describe('SREL inputs, raw features and trip priors from sparse trips', () => {
  let riverton: City;
  beforeAll(async () => {
    riverton = (await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton'))))
      .city as City;
  });

  it('are bit for bit what the dense trip matrix gave on the sample city Riverton', () => {
    expect(riverton.views.trips!.rows).toBe(150);
    expectSameAsDense(riverton);
  });

  it.skipIf(!BENCHMARK_DIR)(
    'are bit for bit what the dense matrices gave on the benchmark cities (SF: trips and mob-adj)',
    async () => {
      for (const key of ['chicago', 'nyc', 'sf']) {
        const city = (await loadCity(directorySource(join(BENCHMARK_DIR as string, key)))).city as City;
        expect(city.views.mobilityTarget).toBeTruthy();
        expectSameAsDense(city);
      }
    },
    120_000,
  );
});
