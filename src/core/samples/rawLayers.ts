/**
 * The raw layer behind a sample city's POI counts: one point per POI, placed uniformly at
 * random inside its region (rejection sampling in the region's bounding box), so importing the
 * points (city/pointsCsv.ts, city/aggregate.ts) rebuilds exactly the committed counts.
 * Coordinates are written with 7 decimals (about 1 cm); a point that rounding would move out
 * of its region is drawn again. Deterministic for a seed.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { RegionLocator } from '../city/aggregate';
import { geometryBounds } from '../city/geometry';
import type { City } from '../city/types';
import { Rng } from '../random';

const DECIMALS = 7;
const MAX_TRIES = 10_000;

/** `lon,lat,category` lines, one per POI of the city's POI view, region by region. */
export function poiPointsCsv(city: City, seed: number): string {
  const poi = city.views.poi;
  if (!poi) throw new Error(`${city.metadata.name} has no POI view`);
  const rng = new Rng(seed);
  const locator = new RegionLocator(city.regions);
  const round = (v: number): number => Number(v.toFixed(DECIMALS));
  const lines = ['lon,lat,category'];
  city.regions.forEach((region, i) => {
    const g = region.geometry;
    if (!g) throw new Error(`region ${region.id} has no geometry to place its POIs in`);
    const [minX, minY, maxX, maxY] = geometryBounds(g);
    for (let k = 0; k < poi.cols; k++) {
      for (let c = 0; c < poi.data[i * poi.cols + k]; c++) {
        for (let tries = 0; ; tries++) {
          if (tries === MAX_TRIES) throw new Error(`could not place a POI inside region ${region.id}`);
          const x = round(rng.uniform(minX, maxX));
          const y = round(rng.uniform(minY, maxY));
          if (booleanPointInPolygon([x, y], g) && locator.locate(x, y) === i) {
            lines.push(`${x.toFixed(DECIMALS)},${y.toFixed(DECIMALS)},${city.views.poiCategories[k]}`);
            break;
          }
        }
      }
    }
  });
  return lines.join('\n') + '\n';
}
