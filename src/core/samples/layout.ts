/**
 * The physical layout of a synthetic city, in a local plane (km; x east, y north, origin at
 * the middle of the city's outline): its outline, a river, a park, the downtown (CBD) and
 * the other centres that later shape the latent variables, and the region polygons.
 *
 * Regions are Voronoi cells of seeded sites. Three kinds of site are placed:
 * - "bank" sites in pairs facing each other across the river, so that every cell next to the
 *   river ends at the river;
 * - "free" sites by dart throwing, denser towards the centre (and the sub-centres);
 * - one "park" site with a wide empty disc around it: its cell is the park;
 * plus "ghost" sites just outside the outline, whose cells are discarded: they give the city
 * its irregular edge. Kept cells are then cut back to the river banks (Sutherland–Hodgman
 * against the band around the river's centre line, with every crossing computed from the
 * edge's endpoints in a canonical order, so two cells sharing an edge get the bit-identical
 * point). Neighbouring regions therefore share exact vertices along their common edges.
 */
import { Delaunay } from 'd3-delaunay';
import { ringSignedArea } from '../city/geometry';
import type { Rng } from '../random';

/** A point in the local plane, km. */
export type Point = [number, number];

export interface Disc {
  centre: Point;
  radius: number;
}

export interface SubCentre extends Disc {
  /** Relative strength of the centre (0..1). */
  strength: number;
}

export interface CityPlan {
  /** Semi-axes of the outline's base ellipse (km). */
  a: number;
  b: number;
  /** Radial wobble of the outline: r(θ) = 1 + Σ amp·sin(k·θ + phase). */
  harmonics: { k: number; amp: number; phase: number }[];
  /** River centre line y = y0 + amp·sin(2πx/wavelength + phase); width in km. */
  river: { y0: number; amp: number; wavelength: number; phase: number; width: number };
  /** Downtown: centre of density and commerce, on the north bank. */
  cbd: Point;
  /** Entertainment district (south bank, across from downtown). */
  nightlife: Point;
  university: Disc;
  park: Disc;
  /** Industrial zone / docks, downstream on the river. */
  industrial: Disc;
  /** Secondary town centres in the outer city. */
  subCentres: SubCentre[];
  /** Unit vector along which income rises. */
  incomeAxis: Point;
  /** Rotation (radians, counter-clockwise) of the whole plan when placed on the map. */
  rotation: number;
}

export type SiteKind = 'bank' | 'free' | 'park' | 'ghost';

/** One region of the layout, before it becomes a GeoJSON polygon. */
export interface LayoutCell {
  site: Point;
  /** Open ring (first vertex not repeated), counter-clockwise, km. */
  ring: Point[];
  isPark: boolean;
  /** The cell was cut back by the river (it borders the river). */
  riverside: boolean;
  /** +1 north of the river, -1 south. */
  bank: 1 | -1;
}

const dist = (p: Point, q: Point): number => Math.hypot(p[0] - q[0], p[1] - q[1]);

/** exp(-|p - c|² / (2 r²)): smooth bump used by the density and latent fields. */
export function gauss(p: Point, c: Point, r: number): number {
  const dx = p[0] - c[0];
  const dy = p[1] - c[1];
  return Math.exp(-(dx * dx + dy * dy) / (2 * r * r));
}

// ---------------------------------------------------------------------------------------
// Outline and river

/** Radius factor of the outline at angle θ (in the ellipse's normalised coordinates). */
export function outlineFactor(plan: CityPlan, theta: number): number {
  let r = 1;
  for (const h of plan.harmonics) r += h.amp * Math.sin(h.k * theta + h.phase);
  return r;
}

/** Point of the outline at parameter θ. */
export function outlinePoint(plan: CityPlan, theta: number): Point {
  const r = outlineFactor(plan, theta);
  return [plan.a * r * Math.cos(theta), plan.b * r * Math.sin(theta)];
}

/** The outline is star-shaped in normalised coordinates: inside when ρ < r(θ). */
export function insideOutline(plan: CityPlan, p: Point): boolean {
  const u = p[0] / plan.a;
  const v = p[1] / plan.b;
  return Math.hypot(u, v) < outlineFactor(plan, Math.atan2(v, u));
}

/** y of the river's centre line at x. */
export function riverY(plan: CityPlan, x: number): number {
  const r = plan.river;
  return r.y0 + r.amp * Math.sin((2 * Math.PI * x) / r.wavelength + r.phase);
}

/** Vertical offset of p from the river's centre line (> 0: north bank). */
export function riverOffset(plan: CityPlan, p: Point): number {
  return p[1] - riverY(plan, p[0]);
}

// ---------------------------------------------------------------------------------------
// The plan

/**
 * Where the secondary town centres go, as fractions of the semi-axis a: within the ring
 * ringMin..ringMax around downtown, at least `separation` from each other and from the park,
 * university and industry, each of radius `radius`.
 */
export interface TownLayout {
  ringMin: number;
  ringMax: number;
  separation: number;
  radius: number;
}

/**
 * The sample cities' town layout. Our choice: 0.3 a apart in the ring 0.45..0.75 a fits about
 * 8 to 10 towns, so a plan of more (2 + regions / 400 from about 3,200 regions) fails with
 * "could not place a district"; large cities pass their own layout (largeCity.ts).
 */
export const SAMPLE_TOWN_LAYOUT: TownLayout = { ringMin: 0.45, ringMax: 0.75, separation: 0.3, radius: 0.07 };

/** Draw the city's plan: outline, river, centres, park, industrial zone. */
export function planCity(
  rng: Rng,
  spanKm: number,
  subCentreCount: number,
  towns: TownLayout = SAMPLE_TOWN_LAYOUT,
): CityPlan {
  const a = spanKm / 2;
  const b = a * rng.uniform(0.72, 0.85);
  const harmonics = [
    { k: 2, amp: rng.uniform(0.05, 0.1), phase: rng.uniform(0, 2 * Math.PI) },
    { k: 3, amp: rng.uniform(0.04, 0.08), phase: rng.uniform(0, 2 * Math.PI) },
    { k: 5, amp: rng.uniform(0.02, 0.04), phase: rng.uniform(0, 2 * Math.PI) },
  ];
  const river = {
    y0: -b * rng.uniform(0.05, 0.15),
    amp: b * rng.uniform(0.06, 0.1),
    wavelength: 2 * a * rng.uniform(0.8, 1.2),
    phase: rng.uniform(0, 2 * Math.PI),
    width: Math.max(0.2, spanKm * 0.015),
  };
  const partial: CityPlan = {
    a,
    b,
    harmonics,
    river,
    cbd: [0, 0],
    nightlife: [0, 0],
    university: { centre: [0, 0], radius: 0 },
    park: { centre: [0, 0], radius: 0 },
    industrial: { centre: [0, 0], radius: 0 },
    subCentres: [],
    incomeAxis: [1, 0],
    rotation: rng.uniform(-0.35, 0.35),
  };
  // Downtown sits on the north bank, just off the river.
  const cx = a * rng.uniform(-0.1, 0.1);
  partial.cbd = [cx, riverY(partial, cx) + river.width / 2 + 0.04 * a];
  // The entertainment district faces it across the river.
  const nx = cx + a * rng.uniform(-0.12, 0.12);
  partial.nightlife = [nx, riverY(partial, nx) - river.width / 2 - 0.07 * a];
  // Industry and docks downstream (east), straddling the river.
  const ix = a * rng.uniform(0.45, 0.6);
  partial.industrial = { centre: [ix, riverY(partial, ix) + rng.uniform(-0.05, 0.05) * a], radius: 0.16 * a };

  // University and park: inner ring, away from the river and from each other.
  const awayFromRiver = (p: Point, margin: number): boolean =>
    Math.abs(riverOffset(partial, p)) > river.width / 2 + margin && insideOutline(partial, p);
  const placeInRing = (rMin: number, rMax: number, margin: number, avoid: Point[], apart = 0.3): Point => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const ang = rng.uniform(0, 2 * Math.PI);
      const rad = a * rng.uniform(rMin, rMax);
      const p: Point = [partial.cbd[0] + rad * Math.cos(ang), partial.cbd[1] + rad * 0.8 * Math.sin(ang)];
      if (awayFromRiver(p, margin) && avoid.every((q) => dist(p, q) > apart * a)) return p;
    }
    throw new Error('planCity: could not place a district');
  };
  const parkRadius = 0.08 * a;
  partial.park = {
    centre: placeInRing(0.2, 0.35, 3 * parkRadius, [partial.industrial.centre]),
    radius: parkRadius,
  };
  partial.university = {
    centre: placeInRing(0.2, 0.4, 0.05 * a, [partial.park.centre, partial.industrial.centre]),
    radius: 0.07 * a,
  };
  // Secondary town centres in the outer city.
  const taken: Point[] = [partial.park.centre, partial.university.centre, partial.industrial.centre];
  for (let k = 0; k < subCentreCount; k++) {
    const centre = placeInRing(towns.ringMin, towns.ringMax, 0.03 * a, taken, towns.separation);
    taken.push(centre);
    partial.subCentres.push({ centre, radius: towns.radius * a, strength: rng.uniform(0.5, 1) });
  }
  const ang = rng.uniform(0, 2 * Math.PI);
  partial.incomeAxis = [Math.cos(ang), Math.sin(ang)];
  return partial;
}

/**
 * Relative density of regions at p: a broad peak downtown (about 8x the edge density)
 * plus bumps at the town centres. Region spacing is proportional to 1/√density.
 */
export function siteDensity(plan: CityPlan, p: Point): number {
  const r0 = 0.25 * plan.a;
  const d = dist(p, plan.cbd) / r0;
  let f = 0.08 + 1 / (1 + d * d);
  for (const s of plan.subCentres) f += 0.5 * s.strength * gauss(p, s.centre, 1.5 * s.radius);
  return f;
}

/**
 * A tighter upper bound of siteDensity than 1.08 + 0.5 Σ strengths (which assumes every town
 * peaks on the same spot): the largest density at downtown, at each town centre and on a
 * 100 x 100 grid, plus 10 %. For a 100,000-region plan of 28 towns the loose bound is 11.7,
 * this one 1.19: ten times fewer proposals rejected for density.
 */
export function siteDensityBound(plan: CityPlan): number {
  let top = siteDensity(plan, plan.cbd);
  for (const s of plan.subCentres) top = Math.max(top, siteDensity(plan, s.centre));
  const steps = 100;
  for (let i = 0; i < steps; i++)
    for (let j = 0; j < steps; j++) {
      const p: Point = [
        plan.a * (-1.2 + (2.4 * (i + 0.5)) / steps),
        plan.b * (-1.2 + (2.4 * (j + 0.5)) / steps),
      ];
      top = Math.max(top, siteDensity(plan, p));
    }
  return 1.1 * top;
}

// ---------------------------------------------------------------------------------------
// Sites

/** A uniform grid of buckets for nearest-site checks during dart throwing. */
class SiteGrid {
  private readonly buckets = new Map<number, Point[]>();

  constructor(private readonly cell: number) {}

  /** A small integer (below 2^30, a V8 Smi: Map lookups stay fast) for |i|, |j| < 16,384. */
  private key(i: number, j: number): number {
    return (i + 16384) * 32768 + (j + 16384);
  }

  add(p: Point): void {
    if (Math.abs(p[0] / this.cell) >= 16000 || Math.abs(p[1] / this.cell) >= 16000)
      throw new Error('SiteGrid: a site lies beyond 16,000 buckets from the centre');
    const k = this.key(Math.floor(p[0] / this.cell), Math.floor(p[1] / this.cell));
    const list = this.buckets.get(k);
    if (list) list.push(p);
    else this.buckets.set(k, [p]);
  }

  /** Is any stored site closer than r to p? */
  anyWithin(p: Point, r: number): boolean {
    const i0 = Math.floor((p[0] - r) / this.cell);
    const i1 = Math.floor((p[0] + r) / this.cell);
    const j0 = Math.floor((p[1] - r) / this.cell);
    const j1 = Math.floor((p[1] + r) / this.cell);
    for (let i = i0; i <= i1; i++)
      for (let j = j0; j <= j1; j++) {
        const list = this.buckets.get(this.key(i, j));
        if (list) for (const q of list) if (dist(p, q) < r) return true;
      }
    return false;
  }
}

export interface Sites {
  points: Point[];
  kinds: SiteKind[];
}

/** Scale c such that the local region spacing is c/√density and ~target regions fit the city. */
function spacingScale(plan: CityPlan, target: number): number {
  const steps = 200;
  const w = (2.4 * plan.a) / steps;
  const h = (2.4 * plan.b) / steps;
  let integral = 0;
  for (let i = 0; i < steps; i++)
    for (let j = 0; j < steps; j++) {
      const p: Point = [-1.2 * plan.a + (i + 0.5) * w, -1.2 * plan.b + (j + 0.5) * h];
      if (!insideOutline(plan, p) || Math.abs(riverOffset(plan, p)) < plan.river.width / 2) continue;
      if (dist(p, plan.park.centre) < 1.6 * plan.park.radius) continue;
      integral += siteDensity(plan, p) * w * h;
    }
  return Math.sqrt(integral / target);
}

/** Pairs of sites facing each other across the river, about one local spacing apart along it. */
function placeBankSites(plan: CityPlan, spacing: (p: Point) => number, parkRadius: number): Point[] {
  const out: Point[] = [];
  const dx = 0.01;
  let travelled = Infinity;
  let prev: Point = [-1.3 * plan.a, riverY(plan, -1.3 * plan.a)];
  for (let x = -1.3 * plan.a + dx; x <= 1.3 * plan.a; x += dx) {
    const cur: Point = [x, riverY(plan, x)];
    const seg = dist(prev, cur);
    travelled += seg;
    const s = spacing(cur);
    if (travelled >= s) {
      travelled = 0;
      const nx = -(cur[1] - prev[1]) / seg;
      const ny = (cur[0] - prev[0]) / seg;
      const off = plan.river.width / 2 + 0.45 * s;
      for (const side of [1, -1]) {
        const p: Point = [cur[0] + side * off * nx, cur[1] + side * off * ny];
        if (insideOutline(plan, p) && dist(p, plan.park.centre) > 2 * parkRadius) out.push(p);
      }
    }
    prev = cur;
  }
  return out;
}

/** Ghost sites just outside the outline, about 0.4 local spacings apart. */
function placeGhostSites(plan: CityPlan, spacing: (p: Point) => number): Point[] {
  const out: Point[] = [];
  let theta = 0;
  while (theta < 2 * Math.PI) {
    const p = outlinePoint(plan, theta);
    const q = outlinePoint(plan, theta + 1e-4);
    const len = dist(p, q) / 1e-4;
    const tx = (q[0] - p[0]) / (len * 1e-4);
    const ty = (q[1] - p[1]) / (len * 1e-4);
    const s = spacing(p);
    out.push([p[0] + ty * 0.3 * s, p[1] - tx * 0.3 * s]); // outward normal of a CCW curve
    theta += (0.4 * s) / len;
  }
  return out;
}

/**
 * How free sites are thrown: proposals are kept with probability density / maxDensity, and the
 * minimum distance alpha · spacing shrinks by 4 % after `patience` failures in a row. The
 * sample cities use the defaults (loose bound 1.08 + 0.5 Σ strengths, alpha 0.95, 3,000).
 */
export interface DartThrowing {
  maxDensity: number;
  alpha: number;
  patience: number;
}

/**
 * All sites of the city: bank pairs, one park site, free sites by dart throwing (density-
 * weighted proposals, minimum distance α·spacing, α shrinking when the city fills up) until
 * exactly `target` regions exist, and the ghost ring.
 */
export function placeSites(
  plan: CityPlan,
  rng: Rng,
  target: number,
  dart: Partial<DartThrowing> = {},
): Sites {
  const {
    maxDensity = 1.08 + 0.5 * plan.subCentres.reduce((s, sc) => s + sc.strength, 0),
    alpha: startAlpha = 0.95,
    patience = 3000,
  } = dart;
  const c = spacingScale(plan, target);
  const spacing = (p: Point): number => c / Math.sqrt(siteDensity(plan, p));
  const points: Point[] = [];
  const kinds: SiteKind[] = [];
  // Buckets of the spacing at density 1: a query looks at about 7 x 7 buckets at the edge
  // (spacing 3.5c) and 3 x 3 downtown. Any size gives the same sites; only the time differs.
  const grid = new SiteGrid(c);
  const add = (p: Point, kind: SiteKind): void => {
    points.push(p);
    kinds.push(kind);
    if (kind !== 'ghost') grid.add(p);
  };

  // The park's empty disc: at most 1.4 local spacings, so that the ring of cells around the
  // park is not stretched into slivers.
  const parkRadius = Math.min(plan.park.radius, 1.4 * spacing(plan.park.centre));
  add(plan.park.centre, 'park');
  for (const p of placeBankSites(plan, spacing, parkRadius)) add(p, 'bank');
  if (points.length >= target) throw new Error(`placeSites: target ${target} is too small for this layout`);

  let alpha = startAlpha;
  let failures = 0;
  while (points.length < target) {
    const p: Point = [rng.uniform(-1.15, 1.15) * plan.a, rng.uniform(-1.15, 1.15) * plan.b];
    if (!insideOutline(plan, p)) continue;
    if (rng.next() * maxDensity > siteDensity(plan, p)) continue;
    const s = spacing(p);
    if (Math.abs(riverOffset(plan, p)) < plan.river.width / 2 + 0.35 * s) continue;
    if (dist(p, plan.park.centre) < 2 * parkRadius) continue;
    if (grid.anyWithin(p, alpha * s)) {
      if (++failures > patience) {
        alpha *= 0.96;
        failures = 0;
      }
      continue;
    }
    failures = 0;
    add(p, 'free');
  }
  for (const p of placeGhostSites(plan, spacing)) add(p, 'ghost');
  return { points, kinds };
}

// ---------------------------------------------------------------------------------------
// Cells

/**
 * Where edge p–q crosses the zero of g (linear interpolation). The endpoints are put in a
 * canonical order first, so the two cells that share an edge compute the same point.
 */
function crossing(p: Point, q: Point, g: (p: Point) => number): Point {
  const [u, v] = p[0] < q[0] || (p[0] === q[0] && p[1] < q[1]) ? [p, q] : [q, p];
  const gu = g(u);
  const t = gu / (gu - g(v));
  return [u[0] + t * (v[0] - u[0]), u[1] + t * (v[1] - u[1])];
}

/** Sutherland–Hodgman: the part of an open ring where g >= 0. */
export function clipRing(ring: Point[], g: (p: Point) => number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    const inP = g(p) >= 0;
    if (inP) out.push(p);
    if (inP !== g(q) >= 0) out.push(crossing(p, q, g));
  }
  return out;
}

/** Voronoi cells of the non-ghost sites, cut back to the river banks. */
export function buildCells(plan: CityPlan, sites: Sites): LayoutCell[] {
  const { points, kinds } = sites;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const bounds: [number, number, number, number] = [minX - 1, minY - 1, maxX + 1, maxY + 1];
  const voronoi = Delaunay.from(points).voronoi(bounds);
  const halfWidth = plan.river.width / 2;
  const cells: LayoutCell[] = [];
  points.forEach((site, i) => {
    if (kinds[i] === 'ghost') return;
    const polygon = voronoi.cellPolygon(i);
    if (!polygon) throw new Error(`buildCells: site ${i} has no Voronoi cell`);
    let ring: Point[] = polygon.slice(0, -1).map(([x, y]) => [x, y] as Point);
    if (ring.some(([x, y]) => x === bounds[0] || x === bounds[2] || y === bounds[1] || y === bounds[3])) {
      throw new Error(`buildCells: region cell ${i} is not enclosed by the ghost ring`);
    }
    if (ringSignedArea(ring) < 0) ring.reverse(); // planar: the km plane
    const bank: 1 | -1 = riverOffset(plan, site) > 0 ? 1 : -1;
    const g = (p: Point): number => bank * riverOffset(plan, p) - halfWidth;
    const riverside = ring.some((p) => g(p) < 0);
    if (riverside) ring = clipRing(ring, g);
    cells.push({ site, ring, isPark: kinds[i] === 'park', riverside, bank });
  });
  return cells;
}

/** Map the plan's local km coordinates to [lon, lat] around a centre (rotated, equirectangular). */
export function toLonLat(plan: CityPlan, centre: [number, number]): (p: Point) => [number, number] {
  const cos = Math.cos(plan.rotation);
  const sin = Math.sin(plan.rotation);
  const kmPerDegLon = 111.32 * Math.cos((centre[1] * Math.PI) / 180);
  const kmPerDegLat = 110.574;
  return ([x, y]) => {
    const X = x * cos - y * sin;
    const Y = x * sin + y * cos;
    return [centre[0] + X / kmPerDegLon, centre[1] + Y / kmPerDegLat];
  };
}
