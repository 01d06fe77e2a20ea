/**
 * Deterministic synthetic cities (the bundled sample cities and test fixtures).
 *
 * `generateSyntheticCity({ seed, regions, name })` builds a complete `City`: irregular region
 * polygons around a river and a park (see layout.ts), a latent profile per region, and from
 * it POI counts, land-use counts, a trip matrix and three task labels whose ground truth is
 * a known function of each region's own observed features and of its neighbours' (spatial
 * spill-over). sample-cities/README.md documents every formula and coefficient used here.
 *
 * Everything is drawn from one seeded `Rng`, split into one sub-stream per step, so the same
 * options always give the same city, bit for bit.
 */
import type { Polygon, Position } from 'geojson';
import { assembleCity } from '../city/city';
import { geometryCentroid, ringSignedArea } from '../city/geometry';
import type { City, Matrix, Region, TaskLabels } from '../city/types';
import { sparseFromRows, sparseTranspose, type SparseMatrix } from '../math/sparse';
import { Rng } from '../random';
import {
  buildCells,
  gauss,
  placeSites,
  planCity,
  toLonLat,
  type CityPlan,
  type DartThrowing,
  type Point,
} from './layout';
import { NameMaker, type DistrictKind } from './names';

// ---------------------------------------------------------------------------------------
// Vocabularies

/** The 26 POI categories, in column order. */
export const POI_CATEGORIES = [
  'food_and_drink',
  'shopping',
  'retail_services',
  'education',
  'healthcare',
  'finance',
  'accommodation',
  'entertainment',
  'arts_and_culture',
  'sports_and_fitness',
  'parks_and_outdoors',
  'religious',
  'government',
  'community_services',
  'transport',
  'parking',
  'automotive',
  'professional_services',
  'business_and_industry',
  'nightlife',
  'beauty_and_personal_care',
  'real_estate',
  'tourism',
  'utilities',
  'emergency_services',
  'other',
] as const;

/** The 11 land-use classes, in column order (counts of land-use parcels). */
export const LAND_USE_CLASSES = [
  'residential',
  'commercial',
  'mixed_use',
  'industrial',
  'institutional',
  'education',
  'park_and_recreation',
  'transport',
  'utilities',
  'water',
  'vacant',
] as const;

/** The latent profile of a region, in vector order. */
export const LATENT_NAMES = ['density', 'commercial', 'nightlife', 'industrial', 'income'] as const;

type PoiCategory = (typeof POI_CATEGORIES)[number];
type LandUseClass = (typeof LAND_USE_CLASSES)[number];
/** Loadings on [density, commercial, nightlife, industrial, income]. */
type Loadings = readonly [number, number, number, number, number];

// ---------------------------------------------------------------------------------------
// Generating coefficients (documented in sample-cities/README.md)

/** POI rate per km² at latent 0, and its loadings: rate = base · exp(loadings · z + boosts). */
export const POI_MODEL: Record<PoiCategory, { base: number; loadings: Loadings }> = {
  food_and_drink: { base: 20, loadings: [0.5, 0.8, 0.6, -0.2, 0.1] },
  shopping: { base: 15, loadings: [0.4, 1.0, 0.2, -0.2, 0.2] },
  retail_services: { base: 10, loadings: [0.6, 0.6, 0, 0, 0] },
  education: { base: 3, loadings: [0.6, 0.1, 0.1, -0.3, 0.2] },
  healthcare: { base: 3.75, loadings: [0.6, 0.4, 0, -0.2, 0.2] },
  finance: { base: 1.5, loadings: [0.2, 1.3, 0, 0, 0.3] },
  accommodation: { base: 1, loadings: [0.1, 0.9, 0.7, -0.2, 0.2] },
  entertainment: { base: 1.25, loadings: [0.2, 0.6, 1.0, 0, 0] },
  arts_and_culture: { base: 1, loadings: [0.2, 0.7, 0.8, -0.3, 0.4] },
  sports_and_fitness: { base: 2.5, loadings: [0.5, 0.3, 0.3, 0, 0.3] },
  parks_and_outdoors: { base: 2.5, loadings: [0.2, 0, 0, -0.5, 0.5] },
  religious: { base: 2, loadings: [0.6, 0.1, 0, 0, -0.1] },
  government: { base: 0.75, loadings: [0.2, 1.0, 0, 0, 0] },
  community_services: { base: 2, loadings: [0.6, 0.2, 0, 0, -0.3] },
  transport: { base: 3.75, loadings: [0.4, 0.7, 0.2, 0.4, 0] },
  parking: { base: 3, loadings: [0.2, 0.8, 0.3, 0.5, 0] },
  automotive: { base: 2.5, loadings: [0.1, 0, 0, 1.0, -0.2] },
  professional_services: { base: 5, loadings: [0.3, 1.2, 0, 0.2, 0.4] },
  business_and_industry: { base: 2, loadings: [0, 0.3, 0, 1.4, 0] },
  nightlife: { base: 0.75, loadings: [0.3, 0.4, 1.5, 0, 0] },
  beauty_and_personal_care: { base: 5, loadings: [0.6, 0.6, 0.3, -0.2, 0.3] },
  real_estate: { base: 2, loadings: [0.4, 0.6, 0, 0, 0.5] },
  tourism: { base: 0.5, loadings: [0, 0.8, 0.8, -0.3, 0.2] },
  utilities: { base: 0.75, loadings: [0.1, 0, 0, 0.8, 0] },
  emergency_services: { base: 0.5, loadings: [0.5, 0.3, 0, 0.2, 0] },
  other: { base: 5, loadings: [0.4, 0.4, 0.2, 0.2, 0] },
};

/** Extra log-rate for some POI categories in special districts. */
export const POI_BOOSTS: Partial<Record<DistrictKind, Partial<Record<PoiCategory, number>>>> = {
  university: {
    education: 1.8,
    arts_and_culture: 0.7,
    food_and_drink: 0.3,
    nightlife: 0.4,
    sports_and_fitness: 0.8,
  },
  park: { parks_and_outdoors: 3.5, sports_and_fitness: 1.5, food_and_drink: 0.5 },
};
/** Log-rate added to every other category in the park. */
export const PARK_POI_DAMPING = -1.5;
/** Standard deviation of the per-region, per-category log-normal rate noise (over-dispersion). */
export const POI_RATE_NOISE_SD = 0.3;

/** Land-use class score: intercept + loadings · z (+ district terms); shares are a softmax. */
export const LAND_USE_MODEL: Record<LandUseClass, { intercept: number; loadings: Loadings }> = {
  residential: { intercept: 1.5, loadings: [0.5, -0.6, -0.2, -1.0, 0.3] },
  commercial: { intercept: 0, loadings: [0.2, 1.2, 0.4, -0.2, 0] },
  mixed_use: { intercept: -0.5, loadings: [0.6, 0.8, 0.5, -0.4, 0] },
  industrial: { intercept: -1.0, loadings: [-0.2, 0, 0, 1.6, -0.3] },
  institutional: { intercept: -0.8, loadings: [0.2, 0.5, 0, 0, 0] },
  education: { intercept: -1.5, loadings: [0.3, 0, 0.2, -0.3, 0.2] },
  park_and_recreation: { intercept: -0.8, loadings: [-0.2, 0, 0, -0.3, 0.4] },
  transport: { intercept: -1.0, loadings: [0.1, 0.4, 0, 0.6, 0] },
  utilities: { intercept: -2.0, loadings: [0, 0, 0, 0.8, 0] },
  water: { intercept: -6.0, loadings: [0, 0, 0, 0, 0] },
  vacant: { intercept: -1.2, loadings: [-0.5, -0.3, 0, 0.5, -0.6] },
};
/** Land-use score bonuses: university → education +2.5, park → park +4, riverside → water +5.5. */
export const LAND_USE_BONUS = { universityEducation: 2.5, parkRecreation: 4, riversideWater: 5.5 };
/** Land-use parcels per km²: PARCELS_PER_KM2 · exp(0.35 · density). */
export const PARCELS_PER_KM2 = 25;

/**
 * Residents per km² at latent 0 (· exp(0.8 density − 0.3 industrial); none in the park) and
 * jobs per km² at latent 0 (· exp(0.9 commercial + 0.5 industrial + 0.2 density)).
 */
export const POPULATION_PER_KM2 = 4000;
export const JOBS_PER_KM2 = 1500;

// ---------------------------------------------------------------------------------------
// Task labels: ground-truth formulas

/** Observed features the labels are built from: log1p of sums of view columns. */
export const LABEL_FEATURES = {
  nightlife: { poi: ['nightlife', 'food_and_drink', 'entertainment'] },
  retail: { poi: ['shopping', 'retail_services'] },
  community: { poi: ['community_services', 'religious', 'education'] },
  residential: { landUse: ['residential'] },
  derelict: { landUse: ['vacant', 'industrial'] },
  tripsIn: { trips: 'in' },
} as const satisfies Record<
  string,
  { poi?: readonly PoiCategory[]; landUse?: readonly LandUseClass[]; trips?: 'in' }
>;

export type LabelFeature = keyof typeof LABEL_FEATURES;

/**
 * One term of a label's log-mean: coefficient × (standardised) feature, taken from the region
 * itself ("own"), as the mean over its polygon neighbours ("adjacent"), or as a Gaussian-kernel
 * weighted mean over all other regions by centroid distance ("kernel", bandwidth KERNEL_KM).
 */
export interface LabelTerm {
  feature: LabelFeature;
  scope: 'own' | 'adjacent' | 'kernel';
  coef: number;
}

export interface LabelModel {
  id: string;
  name: string;
  unit: string;
  note?: string;
  intercept: number;
  terms: LabelTerm[];
  /** Standard deviation of the region-level normal noise on the log-mean. */
  noiseSd: number;
}

/** Bandwidth (km) of the kernel scope. */
export const KERNEL_KM = 0.8;

export const LABEL_MODELS: LabelModel[] = [
  {
    id: 'crime',
    name: 'Crime',
    unit: 'crimes per year',
    intercept: 4.6,
    terms: [
      { feature: 'nightlife', scope: 'own', coef: 0.3 },
      { feature: 'residential', scope: 'own', coef: 0.25 },
      { feature: 'nightlife', scope: 'adjacent', coef: 0.55 },
      { feature: 'derelict', scope: 'adjacent', coef: 0.35 },
    ],
    noiseSd: 0.15,
  },
  {
    id: 'checkIn',
    name: 'Check-ins',
    unit: 'check-ins',
    note: '0 means missing: drop those regions for this task',
    intercept: 4.6,
    terms: [
      { feature: 'retail', scope: 'own', coef: 0.25 },
      { feature: 'tripsIn', scope: 'own', coef: 0.1 },
      { feature: 'nightlife', scope: 'kernel', coef: 0.65 },
    ],
    noiseSd: 0.2,
  },
  {
    id: 'serviceCall',
    name: 'Service calls',
    unit: '311 calls per year',
    intercept: 4.8,
    terms: [
      { feature: 'residential', scope: 'own', coef: 0.4 },
      { feature: 'community', scope: 'own', coef: 0.2 },
      { feature: 'nightlife', scope: 'adjacent', coef: 0.45 },
      { feature: 'derelict', scope: 'adjacent', coef: 0.3 },
    ],
    noiseSd: 0.15,
  },
];

// ---------------------------------------------------------------------------------------
// Options and results

export interface SyntheticCityOptions {
  seed: number;
  /** Number of regions (exact). */
  regions: number;
  name: string;
  /** [lon, lat] of the city's middle (default [8.9, 47.55]). */
  centre?: [number, number];
  /** East-west extent in km (default 20 · (regions / 150)^0.25). */
  spanKm?: number;
  /** Secondary town centres (default: 2 + regions / 400, rounded down). */
  subCentres?: number;
  /** Expected total number of trips in the trip matrix (default 400 per region). */
  tripTotal?: number;
  /** Distance decay of trips, km (default 0.15 · span). */
  tripDecayKm?: number;
  description?: string;
}

/** What the generator knows but the city does not show: for tests and documentation. */
export interface SyntheticCityTruth {
  /** N x 5 latent profiles (LATENT_NAMES order). */
  latent: Matrix;
  kinds: DistrictKind[];
  /** Region centroids in the generator's local plane (km). */
  centroidsKm: Point[];
  areasKm2: Float64Array;
  population: Float64Array;
  jobs: Float64Array;
  /** Expected label values exp(η) per task id (before Poisson noise). */
  labelMeans: Record<string, Float64Array>;
  plan: CityPlan;
}

// ---------------------------------------------------------------------------------------
// Step 1: geometry

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

export interface Draft {
  polygon: Polygon;
  centroid: [number, number];
  centroidKm: Point;
  areaKm2: number;
  isPark: boolean;
  riverside: boolean;
  bank: 1 | -1;
}

/** Turn a km ring into a closed, counter-clockwise lon/lat ring rounded to 6 decimals. */
function toGeoRing(ring: Point[], project: (p: Point) => [number, number]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const [lon, lat] = project(p);
    const q = [round6(lon), round6(lat)];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1])
    out.pop();
  if (out.length < 3) throw new Error('generateSyntheticCity: a region collapsed to fewer than 3 vertices');
  const signed = ringSignedArea(out);
  if (signed === 0) throw new Error('generateSyntheticCity: a region has zero area');
  if (signed < 0) out.reverse();
  out.push([out[0][0], out[0][1]]);
  return out;
}

/**
 * Region polygons on the map, ordered in bands from north to south, west to east within a band.
 * `dart` tunes the dart throwing of the sites (default: the sample cities', see placeSites).
 */
export function buildRegionGeometry(
  plan: CityPlan,
  rng: Rng,
  target: number,
  centre: [number, number],
  dart: Partial<DartThrowing> = {},
): Draft[] {
  const sites = placeSites(plan, rng, target, dart);
  const cells = buildCells(plan, sites);
  const project = toLonLat(plan, centre);
  const drafts = cells.map((cell): Draft => {
    const polygon: Polygon = { type: 'Polygon', coordinates: [toGeoRing(cell.ring, project)] };
    const centroid = geometryCentroid(polygon);
    const kmPolygon: Polygon = { type: 'Polygon', coordinates: [[...cell.ring, cell.ring[0]]] };
    const centroidKm = geometryCentroid(kmPolygon);
    if (!centroid || !centroidKm) throw new Error('generateSyntheticCity: region without centroid');
    return {
      polygon,
      centroid,
      centroidKm: centroidKm as Point,
      areaKm2: ringSignedArea(cell.ring), // planar: the generator's km plane
      isPark: cell.isPark,
      riverside: cell.riverside,
      bank: cell.bank,
    };
  });
  // A loop, not Math.max(...lats): spreading 100,000 arguments overflows the call stack.
  let north = -Infinity;
  let south = Infinity;
  for (const d of drafts) {
    north = Math.max(north, d.centroid[1]);
    south = Math.min(south, d.centroid[1]);
  }
  const bandDeg = (north - south) / Math.max(4, Math.round(Math.sqrt(target) / 2));
  const band = (d: Draft): number => Math.floor((north - d.centroid[1]) / bandDeg);
  return drafts.sort((p, q) => band(p) - band(q) || p.centroid[0] - q.centroid[0]);
}

/**
 * Shared-edge adjacency of the final (rounded) polygons: regions that have an edge between the
 * same two (bit-identical) vertices. Vertices get a number once (a string key per vertex), and
 * an edge is the number lo · 2^26 + hi (exact below 2^53: up to 67 million vertices), so a
 * 100,000-region city builds about 300,000 vertex strings instead of 600,000 edge strings.
 */
export function sharedEdgeAdjacency(polygons: Polygon[]): number[][] {
  const vertexIds = new Map<string, number>();
  const vertexId = (p: Position): number => {
    const key = `${p[0]},${p[1]}`;
    let id = vertexIds.get(key);
    if (id === undefined) {
      id = vertexIds.size;
      vertexIds.set(key, id);
    }
    return id;
  };
  const edges = new Map<number, number[]>();
  polygons.forEach((poly, i) => {
    for (const ring of poly.coordinates) {
      let a = vertexId(ring[0]);
      for (let k = 0; k + 1 < ring.length; k++) {
        const b = vertexId(ring[k + 1]);
        const key = a < b ? a * 2 ** 26 + b : b * 2 ** 26 + a;
        a = b;
        const list = edges.get(key);
        if (list) {
          if (!list.includes(i)) list.push(i);
        } else edges.set(key, [i]);
      }
    }
  });
  if (vertexIds.size > 2 ** 26) throw new Error('sharedEdgeAdjacency: more than 2^26 distinct vertices');
  const sets = polygons.map(() => new Set<number>());
  for (const list of edges.values()) for (const i of list) for (const j of list) if (i !== j) sets[i].add(j);
  return sets.map((s) => [...s].sort((x, y) => x - y));
}

// ---------------------------------------------------------------------------------------
// Step 2: districts and latent profiles

/** Kind of district at a region, from its position relative to the plan's centres. */
export function districtKind(plan: CityPlan, d: Draft): DistrictKind {
  const p = d.centroidKm;
  if (d.isPark) return 'park';
  const r = (q: Point): number => Math.hypot(p[0] - q[0], p[1] - q[1]);
  if (r(plan.university.centre) < plan.university.radius) return 'university';
  if (r(plan.industrial.centre) < 0.9 * plan.industrial.radius) return 'industrial';
  if (r(plan.cbd) < 0.09 * plan.a) return 'cbd';
  if (plan.subCentres.some((s) => r(s.centre) < 0.6 * s.radius)) return 'townCentre';
  const u = (p[0] - plan.cbd[0]) / plan.a;
  const v = (p[1] - plan.cbd[1]) / plan.b;
  return Math.hypot(u, v) < 0.45 ? 'inner' : 'suburb';
}

/**
 * Latent profile z = smooth field of position + region-level normal noise:
 *   density    = 2.2 g(cbd, 0.30a) + 1.2 Σ s·g(town, r) − 0.8 g(ind, r_ind) − 0.8 + N(0, 0.35²)
 *   commercial = 3.0 g(cbd, 0.10a) + 1.0 g(cbd, 0.30a) + 1.6 Σ s·g(town, r) − 0.7 + N(0, 0.5²)
 *   nightlife  = 2.4 g(nightlife, 0.08a) + 0.8 g(cbd, 0.15a) + 1.2 g(uni, 1.5 r_uni)
 *                + 0.6 Σ s·g(town, r) − 0.8 + N(0, 0.7²)
 *   industrial = 2.8 g(ind, r_ind) + 0.5 [riverside, downstream] − 0.8 + N(0, 0.45²)
 *   income     = 0.9 (p·u)/a + 1.0 g(park, 0.15a) − 1.0 g(ind, 1.5 r_ind) + N(0, 0.4²)
 * with g(c, r) = exp(−|p − c|² / 2r²). The park gets a fixed low profile.
 */
export function latentProfile(plan: CityPlan, d: Draft, kind: DistrictKind, rng: Rng): number[] {
  const p = d.centroidKm;
  const a = plan.a;
  const towns = (w: number): number =>
    plan.subCentres.reduce((s, c) => s + w * c.strength * gauss(p, c.centre, c.radius), 0);
  const ind = plan.industrial;
  const density =
    2.2 * gauss(p, plan.cbd, 0.3 * a) + towns(1.2) - 0.8 * gauss(p, ind.centre, ind.radius) - 0.8;
  const commercial = 3.0 * gauss(p, plan.cbd, 0.1 * a) + 1.0 * gauss(p, plan.cbd, 0.3 * a) + towns(1.6) - 0.7;
  const nightlife =
    2.4 * gauss(p, plan.nightlife, 0.08 * a) +
    0.8 * gauss(p, plan.cbd, 0.15 * a) +
    1.2 * gauss(p, plan.university.centre, 1.5 * plan.university.radius) +
    towns(0.6) -
    0.8;
  const docks = d.riverside && p[0] > plan.cbd[0] ? 0.5 : 0;
  const industrial = 2.8 * gauss(p, ind.centre, ind.radius) + docks - 0.8;
  const income =
    (0.9 * (p[0] * plan.incomeAxis[0] + p[1] * plan.incomeAxis[1])) / a +
    1.0 * gauss(p, plan.park.centre, 0.15 * a) -
    1.0 * gauss(p, ind.centre, 1.5 * ind.radius);
  const noise = [0.35, 0.5, 0.7, 0.45, 0.4].map((sd) => rng.normal(0, sd));
  if (kind === 'park')
    return [-2 + noise[0], -1 + noise[1], -0.5 + noise[2], -1 + noise[3], income + noise[4]];
  return [density, commercial, nightlife, industrial, income].map((v, k) => v + noise[k]);
}

/** Residents and jobs per region (POPULATION_PER_KM2, JOBS_PER_KM2; no residents in the park). */
export function regionMasses(
  drafts: Draft[],
  kinds: DistrictKind[],
  latent: number[][],
): { population: Float64Array; jobs: Float64Array } {
  const population = Float64Array.from(drafts, (d, i) =>
    kinds[i] === 'park'
      ? 0
      : d.areaKm2 * POPULATION_PER_KM2 * Math.exp(0.8 * latent[i][0] - 0.3 * latent[i][3]),
  );
  const jobs = Float64Array.from(
    drafts,
    (d, i) =>
      d.areaKm2 * JOBS_PER_KM2 * Math.exp(0.9 * latent[i][1] + 0.5 * latent[i][3] + 0.2 * latent[i][0]),
  );
  return { population, jobs };
}

/**
 * What each drafted region is: its district kind, latent profile (drawn from `rng`, region by
 * region), area, centroid, population and jobs. Shared by the sample and the large generators.
 */
export function regionProfiles(
  plan: CityPlan,
  drafts: Draft[],
  rng: Rng,
): {
  kinds: DistrictKind[];
  latent: number[][];
  areas: Float64Array;
  centroidsKm: Point[];
  population: Float64Array;
  jobs: Float64Array;
} {
  const kinds = drafts.map((d) => districtKind(plan, d));
  const latent = drafts.map((d, i) => latentProfile(plan, d, kinds[i], rng));
  const areas = Float64Array.from(drafts, (d) => d.areaKm2);
  const centroidsKm = drafts.map((d) => d.centroidKm);
  return { kinds, latent, areas, centroidsKm, ...regionMasses(drafts, kinds, latent) };
}

// ---------------------------------------------------------------------------------------
// Step 3: names and descriptions

const KIND_PHRASE: Record<DistrictKind, string> = {
  cbd: 'Downtown business district',
  inner: 'Inner-city neighbourhood',
  suburb: 'Suburban neighbourhood',
  industrial: 'Industrial area and docks',
  university: 'University quarter',
  park: 'City park',
  townCentre: 'Town centre of the outer city',
};

export function describe(kind: DistrictKind, d: Draft): string {
  const side = d.bank > 0 ? 'north' : 'south';
  const where = d.riverside ? `on the ${side} bank of the river` : `${side} of the river`;
  return `${KIND_PHRASE[kind]}, ${where}.`;
}

// ---------------------------------------------------------------------------------------
// Step 4: views

const dot = (w: Loadings, z: number[]): number => w.reduce((s, wk, k) => s + wk * z[k], 0);

/** POI counts ~ Poisson(area · base · exp(loadings · z + district boost + N(0, 0.3²))). */
export function generatePoi(
  latent: number[][],
  kinds: DistrictKind[],
  areas: Float64Array,
  rng: Rng,
): Matrix {
  const n = latent.length;
  const c = POI_CATEGORIES.length;
  const data = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    const boosts = POI_BOOSTS[kinds[i]] ?? {};
    POI_CATEGORIES.forEach((cat, k) => {
      const model = POI_MODEL[cat];
      let logRate = Math.log(model.base) + dot(model.loadings, latent[i]) + rng.normal(0, POI_RATE_NOISE_SD);
      logRate += boosts[cat] ?? (kinds[i] === 'park' ? PARK_POI_DAMPING : 0);
      data[i * c + k] = rng.poisson(areas[i] * Math.exp(logRate));
    });
  }
  return { rows: n, cols: c, data };
}

/** Land-use parcel counts ~ Poisson(parcels · softmax(class scores)). */
export function generateLandUse(
  latent: number[][],
  kinds: DistrictKind[],
  drafts: Draft[],
  areas: Float64Array,
  rng: Rng,
): Matrix {
  const n = latent.length;
  const c = LAND_USE_CLASSES.length;
  const data = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    const scores = LAND_USE_CLASSES.map((cls) => {
      const m = LAND_USE_MODEL[cls];
      let s = m.intercept + dot(m.loadings, latent[i]);
      if (cls === 'education' && kinds[i] === 'university') s += LAND_USE_BONUS.universityEducation;
      if (cls === 'park_and_recreation' && kinds[i] === 'park') s += LAND_USE_BONUS.parkRecreation;
      if (cls === 'water' && drafts[i].riverside) s += LAND_USE_BONUS.riversideWater;
      return s;
    });
    const top = Math.max(...scores);
    const weights = scores.map((s) => Math.exp(s - top));
    const total = weights.reduce((s, w) => s + w, 0);
    const parcels = areas[i] * PARCELS_PER_KM2 * Math.exp(0.35 * latent[i][0]);
    weights.forEach((w, k) => {
      data[i * c + k] = rng.poisson((parcels * w) / total);
    });
  }
  return { rows: n, cols: c, data };
}

/**
 * Trips from a production-constrained gravity model:
 *   E[T_ij] = K · O_i · A_j · exp(−d_ij / L) / Σ_k A_k exp(−d_ik / L),
 * origin mass O = residents + 0.6 jobs, attraction A = jobs + 0.3 residents + 20 · POIs,
 * d_ij the centroid distance (d_ii = half the region's equivalent radius), K scaling the
 * total to `tripTotal`; each cell is then drawn as Poisson(E[T_ij]) (sparse integer counts).
 */
function generateTrips(
  centroidsKm: Point[],
  areas: Float64Array,
  population: Float64Array,
  jobs: Float64Array,
  poi: Matrix,
  tripTotal: number,
  decayKm: number,
  rng: Rng,
): SparseMatrix {
  const n = centroidsKm.length;
  const attraction = new Float64Array(n);
  const origin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let pois = 0;
    for (let k = 0; k < poi.cols; k++) pois += poi.data[i * poi.cols + k];
    origin[i] = population[i] + 0.6 * jobs[i];
    attraction[i] = jobs[i] + 0.3 * population[i] + 20 * pois;
  }
  const originTotal = origin.reduce((s, v) => s + v, 0);
  const row = new Float64Array(n);
  // One Poisson draw per pair, row by row (the same draws as ever); only the pairs with trips are kept.
  return sparseFromRows(n, n, (i, push) => {
    let norm = 0;
    for (let j = 0; j < n; j++) {
      const d =
        i === j
          ? 0.5 * Math.sqrt(areas[i] / Math.PI)
          : Math.hypot(centroidsKm[i][0] - centroidsKm[j][0], centroidsKm[i][1] - centroidsKm[j][1]);
      row[j] = attraction[j] * Math.exp(-d / decayKm);
      norm += row[j];
    }
    const scale = (tripTotal * origin[i]) / originTotal / norm;
    for (let j = 0; j < n; j++) push(j, rng.poisson(row[j] * scale));
  });
}

// ---------------------------------------------------------------------------------------
// Step 5: labels

/** Standardised log1p label features (N values per feature), from the dense trip matrix. */
export function labelFeatures(
  poi: Matrix,
  landUse: Matrix,
  trips: SparseMatrix,
): Record<LabelFeature, Float64Array> {
  const n = trips.rows;
  const incoming = sparseTranspose(trips); // row i: trips into region i, origins ascending
  const tripsIn = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let e = incoming.rowStart[i]; e < incoming.rowStart[i + 1]; e++) tripsIn[i] += incoming.values[e];
  return labelFeaturesFromTripsIn(poi, landUse, tripsIn);
}

/**
 * Standardised log1p label features (N values per feature), given the trips arriving at each
 * region (N column sums of the trip matrix, dense or sparse).
 */
export function labelFeaturesFromTripsIn(
  poi: Matrix,
  landUse: Matrix,
  tripsIn: Float64Array,
): Record<LabelFeature, Float64Array> {
  const n = poi.rows;
  const out = {} as Record<LabelFeature, Float64Array>;
  for (const [name, spec] of Object.entries(LABEL_FEATURES) as [
    LabelFeature,
    (typeof LABEL_FEATURES)[LabelFeature],
  ][]) {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      if ('poi' in spec)
        for (const cat of spec.poi) s += poi.data[i * poi.cols + POI_CATEGORIES.indexOf(cat)];
      if ('landUse' in spec)
        for (const cls of spec.landUse) s += landUse.data[i * landUse.cols + LAND_USE_CLASSES.indexOf(cls)];
      if ('trips' in spec) s += tripsIn[i];
      x[i] = Math.log1p(s);
    }
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / n) || 1;
    out[name] = x.map((v) => (v - mean) / sd);
  }
  return out;
}

/** Mean of v over each region's neighbours (0, the city mean, for a region without any). */
export function adjacentMean(v: Float64Array, adjacency: number[][]): Float64Array {
  return Float64Array.from(adjacency, (nb) =>
    nb.length === 0 ? 0 : nb.reduce((s, j) => s + v[j], 0) / nb.length,
  );
}

/** Gaussian-kernel weighted mean of v over the other regions (centroid distance, bandwidth km). */
export function kernelMean(v: Float64Array, centroidsKm: Point[], bandwidthKm: number): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let ws = 0;
    let s = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const w = gauss(centroidsKm[i], centroidsKm[j], bandwidthKm);
      ws += w;
      s += w * v[j];
    }
    out[i] = ws > 0 ? s / ws : 0;
  }
  return out;
}

/** The kernel scope's weighted mean of v (N values) at every region. */
export type KernelMean = (v: Float64Array) => Float64Array;

/**
 * Labels y ~ Poisson(exp(η)), η = intercept + Σ terms + N(0, noiseSd²). `kernel` gives the
 * kernel scope (default: the exact N x N kernelMean at KERNEL_KM).
 */
export function generateLabels(
  features: Record<LabelFeature, Float64Array>,
  adjacency: number[][],
  centroidsKm: Point[],
  rng: Rng,
  kernel: KernelMean = (v) => kernelMean(v, centroidsKm, KERNEL_KM),
): { labels: TaskLabels[]; means: Record<string, Float64Array> } {
  const n = adjacency.length;
  const cache = new Map<string, Float64Array>();
  const termValues = (t: LabelTerm): Float64Array => {
    const key = `${t.scope}:${t.feature}`;
    let v = cache.get(key);
    if (!v) {
      const own = features[t.feature];
      v = t.scope === 'own' ? own : t.scope === 'adjacent' ? adjacentMean(own, adjacency) : kernel(own);
      cache.set(key, v);
    }
    return v;
  };
  const labels: TaskLabels[] = [];
  const means: Record<string, Float64Array> = {};
  for (const model of LABEL_MODELS) {
    const mean = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let eta = model.intercept + rng.normal(0, model.noiseSd);
      for (const t of model.terms) eta += t.coef * termValues(t)[i];
      mean[i] = Math.exp(eta);
      values[i] = rng.poisson(mean[i]);
    }
    means[model.id] = mean;
    labels.push({
      id: model.id,
      name: model.name,
      unit: model.unit,
      values,
      missing: 0,
      ...(model.note ? { note: model.note } : {}),
    });
  }
  return { labels, means };
}

// ---------------------------------------------------------------------------------------
// The whole city

export function generateSyntheticCityWithTruth(options: SyntheticCityOptions): {
  city: City;
  truth: SyntheticCityTruth;
} {
  const { seed, regions: target, name } = options;
  if (!Number.isInteger(target) || target < 20)
    throw new Error(`generateSyntheticCity: regions must be >= 20`);
  const centre = options.centre ?? [8.9, 47.55];
  const spanKm = options.spanKm ?? 20 * (target / 150) ** 0.25;
  const subCentres = options.subCentres ?? 2 + Math.floor(target / 400);
  const tripTotal = options.tripTotal ?? 400 * target;
  const tripDecayKm = options.tripDecayKm ?? 0.15 * spanKm;

  // One sub-stream per step: changing one step does not reshuffle the others.
  const root = new Rng(seed);
  const layoutRng = root.fork();
  const latentRng = root.fork();
  const nameRng = root.fork();
  const poiRng = root.fork();
  const landUseRng = root.fork();
  const tripRng = root.fork();
  const labelRng = root.fork();

  const plan = planCity(layoutRng, spanKm, subCentres);
  const drafts = buildRegionGeometry(plan, layoutRng, target, centre);
  const n = drafts.length;
  const adjacency = sharedEdgeAdjacency(drafts.map((d) => d.polygon));

  const { kinds, latent, areas, centroidsKm, population, jobs } = regionProfiles(plan, drafts, latentRng);

  const names = new NameMaker(nameRng);
  const regionList: Region[] = drafts.map((d, i) => {
    const id = `R${String(i + 1).padStart(Math.max(3, String(n).length), '0')}`;
    return {
      id,
      name: names.next(kinds[i], d.riverside),
      geometry: d.polygon,
      centroid: d.centroid,
      description: describe(kinds[i], d),
    };
  });

  const poi = generatePoi(latent, kinds, areas, poiRng);
  const landUse = generateLandUse(latent, kinds, drafts, areas, landUseRng);
  const trips = generateTrips(centroidsKm, areas, population, jobs, poi, tripTotal, tripDecayKm, tripRng);
  const features = labelFeatures(poi, landUse, trips);
  const { labels, means } = generateLabels(features, adjacency, centroidsKm, labelRng);

  const city = assembleCity(
    {
      name,
      source: `ToPT Studio synthetic generator, seed ${seed}`,
      licence: 'CC0-1.0 (synthetic data)',
      description:
        options.description ??
        `${name} is a fictional city of ${n} regions generated by ToPT Studio: irregular districts around a river and a park, ` +
          'POI and land-use counts drawn from a latent profile per region, gravity-model trips, and crime, check-in and ' +
          'service-call labels with spatial spill-over from neighbouring regions. See sample-cities/README.md.',
    },
    regionList,
    {
      poi,
      poiCategories: [...POI_CATEGORIES],
      landUse,
      landUseClasses: [...LAND_USE_CLASSES],
      trips,
    },
    labels,
    adjacency,
  );
  const truth: SyntheticCityTruth = {
    latent: { rows: n, cols: LATENT_NAMES.length, data: Float64Array.from(latent.flat()) },
    kinds,
    centroidsKm,
    areasKm2: areas,
    population,
    jobs,
    labelMeans: means,
    plan,
  };
  return { city, truth };
}

/** A deterministic synthetic city (see the module comment and sample-cities/README.md). */
export function generateSyntheticCity(options: SyntheticCityOptions): City {
  return generateSyntheticCityWithTruth(options).city;
}
