/**
 * The raw layers behind a sample city's views: POI points, land-use points (one per counted
 * parcel), incident points (one per counted crime, check-in or service call) and trip records, each point placed uniformly at random
 * inside its region (rejection sampling in the region's bounding box). Importing them
 * (city/layers/pointsCsv.ts, city/layers/tripsCsv.ts) rebuilds exactly the committed views. Coordinates have
 * 7 decimals (about 1 cm); a point that rounding would move out of its region is drawn again.
 * Deterministic for a seed.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { RegionLocator } from '../city/aggregate';
import { geometryBounds } from '../city/geometry';
import type { City } from '../city/types';
import { Rng } from '../random';

const DECIMALS = 7;
const MAX_TRIES = 10_000;

/** A function giving a random point (as written, 7 decimals) strictly inside region i. */
function pointSampler(city: City, rng: Rng): (i: number) => string {
  const locator = new RegionLocator(city.regions);
  const bounds = city.regions.map((r) => (r.geometry ? geometryBounds(r.geometry) : null));
  return (i) => {
    const g = city.regions[i].geometry;
    const b = bounds[i];
    if (!g || !b) throw new Error(`region ${city.regions[i].id} has no geometry to place points in`);
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const x = rng.uniform(b[0], b[2]).toFixed(DECIMALS);
      const y = rng.uniform(b[1], b[3]).toFixed(DECIMALS);
      if (booleanPointInPolygon([Number(x), Number(y)], g) && locator.locate(Number(x), Number(y)) === i)
        return `${x},${y}`;
    }
    throw new Error(`could not place a point inside region ${city.regions[i].id}`);
  };
}

/** `lon,lat,category`: one point per POI of the city's POI view, region by region. */
export function poiPointsCsv(city: City, seed: number): string {
  const poi = city.views.poi;
  if (!poi) throw new Error(`${city.metadata.name} has no POI view`);
  const point = pointSampler(city, new Rng(seed));
  const lines = ['lon,lat,category'];
  for (let i = 0; i < city.regions.length; i++)
    for (let k = 0; k < poi.cols; k++)
      for (let c = 0; c < poi.data[i * poi.cols + k]; c++)
        lines.push(`${point(i)},${city.views.poiCategories[k]}`);
  return lines.join('\n') + '\n';
}

/** `lon,lat,land_use`: one point per counted land-use parcel of the city's land-use view. */
export function landUsePointsCsv(city: City, seed: number): string {
  const landUse = city.views.landUse;
  if (!landUse) throw new Error(`${city.metadata.name} has no land-use view`);
  const point = pointSampler(city, new Rng(seed));
  const lines = ['lon,lat,land_use'];
  for (let i = 0; i < city.regions.length; i++)
    for (let k = 0; k < landUse.cols; k++) {
      const count = landUse.data[i * landUse.cols + k];
      if (!Number.isInteger(count))
        throw new Error(`land use of region ${city.regions[i].id} is not a count`);
      for (let c = 0; c < count; c++) lines.push(`${point(i)},${city.views.landUseClasses[k]}`);
    }
  return lines.join('\n') + '\n';
}

/** `lon,lat,task`: one point per counted incident of each task label (integer counts). */
export function incidentPointsCsv(city: City, seed: number): string {
  const point = pointSampler(city, new Rng(seed));
  const lines = ['lon,lat,task'];
  for (const labels of city.labels)
    labels.values.forEach((v, i) => {
      if (!Number.isInteger(v))
        throw new Error(`${labels.id} of region ${city.regions[i].id} is not a count`);
      for (let c = 0; c < v; c++) lines.push(`${point(i)},${labels.id}`);
    });
  return lines.join('\n') + '\n';
}

/** `origin_lon,origin_lat,destination_lon,destination_lat,count`: one record per region pair with trips. */
export function tripRecordsCsv(city: City, seed: number): string {
  const trips = city.views.trips;
  if (!trips) throw new Error(`${city.metadata.name} has no trips`);
  const point = pointSampler(city, new Rng(seed));
  const lines = ['origin_lon,origin_lat,destination_lon,destination_lat,count'];
  for (let o = 0; o < trips.rows; o++)
    for (let e = trips.rowStart[o]; e < trips.rowStart[o + 1]; e++) {
      const count = trips.values[e];
      if (count > 0) lines.push(`${point(o)},${point(trips.colIndex[e])},${count}`);
    }
  return lines.join('\n') + '\n';
}
