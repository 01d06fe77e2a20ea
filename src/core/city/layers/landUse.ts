/**
 * The land-use view from raw layers: points with a class (a CSV of lon, lat, class), counted
 * per region and class; or polygons with a class (GeoJSON), as the share of each region's area
 * each class covers. Each polygon is clipped to the regions its bounding box meets
 * (@turf/intersect) and the clipped areas are measured geodesically (@turf/area), so a polygon
 * straddling two regions is split between them by area. A region's shares sum to at most 1:
 * where land-use polygons overlap and a region's shares would exceed 1, its row is scaled
 * down to sum to 1 (and the report says in how many regions).
 */
import { area } from '@turf/area';
import { intersect } from '@turf/intersect';
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { applyCategoryMapping, namedCounts } from './categoryMapping';
import { geometryBounds } from '../geometry';
import { readLocatedPoints, type LayerOptions, type PointImport } from './pointsCsv';
import type { City, RegionGeometry } from '../types';

/** Property names that can hold a land-use polygon's class, in order of preference. */
const CLASS_PROPERTIES = [
  'landuse', 'land_use', 'land_use_class', 'landuse_class', 'class', 'lu_class', 'category', 'type',
  'fclass', 'zoning', 'use',
]; // prettier-ignore
/** Polygons done between progress reports. */
const POLYGONS_PER_REPORT = 500;

/** The classes the land-use view gets: the city's when it has some (and not `ownCategories`), else the file's. */
function classesFor(city: City, own: string[], options: LayerOptions): string[] {
  return city.views.landUseClasses.length && !options.ownCategories ? city.views.landUseClasses : own;
}

/**
 * Land use from points with a class (CSV lon, lat, class): counts per region and class. Classes
 * are matched by name to the city's land-use classes when it has them (unknown ones counted in
 * the report), else the points' own classes (sorted) become the columns. All or nothing.
 */
export function importLandUsePoints(
  city: City,
  text: string,
  fileName: string,
  options: LayerOptions = {},
): PointImport | { error: string } {
  const located = readLocatedPoints(
    city,
    text,
    fileName,
    options,
    `${fileName} needs a column naming each point's land-use class (e.g. "class" or "landuse")`,
  );
  if ('error' in located) return located;
  const parsed = located;
  const own = [...new Set(parsed.points.category.filter((c) => c !== ''))].sort();
  const classes = classesFor(city, own, options);
  const { column, unmapped } = applyCategoryMapping(parsed.points.category, classes);
  if (unmapped.size && column.every((c) => c < 0))
    return {
      error: `${fileName}: none of its points has one of the city's land-use classes (${classes.join(', ')}); its classes: ${namedCounts(unmapped)}`,
    };
  const n = city.regions.length;
  const data = new Float64Array(n * classes.length);
  let outside = 0;
  let counted = 0;
  column.forEach((k, i) => {
    if (k < 0) return;
    if (located.rows[i] < 0) outside++;
    else {
      data[located.rows[i] * classes.length + k]++;
      counted++;
    }
  });
  const unknown = [...unmapped.values()].reduce((a, b) => a + b, 0);
  const report = [
    `${fileName}: ${parsed.points.lon.length + parsed.points.dropped} land-use points; class column ${parsed.points.columns.category}`,
    `${counted} points counted into ${classes.length} land-use classes of ${n} regions`,
    `${parsed.points.dropped} rows unreadable`,
    ...parsed.points.problems.map((p) => `  ${p}`),
    `${outside} points outside every region`,
    `${unknown} points of unknown land-use classes${unmapped.size ? `: ${namedCounts(unmapped)}` : ''}`,
  ];
  return {
    city: {
      ...city,
      views: { ...city.views, landUse: { rows: n, cols: classes.length, data }, landUseClasses: classes },
    },
    report,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const asFeature = (geometry: RegionGeometry): Feature<Polygon | MultiPolygon> => ({
  type: 'Feature',
  properties: {},
  geometry,
});

/**
 * Land use from polygons with a class (a GeoJSON FeatureCollection of Polygon or MultiPolygon
 * features, the class in a property such as "landuse" or "class"): the share of each region's
 * area covered by each class. Features of other geometry types, without a class, or outside
 * every region are counted in the report. All or nothing: a file that is not such a
 * collection, has no class property or no polygon inside a region fails with one message.
 */
export function importLandUsePolygons(
  city: City,
  text: string,
  fileName: string,
  options: LayerOptions = {},
): PointImport | { error: string } {
  if (text.trim() === '') return { error: `${fileName} is empty` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `${fileName} is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isRecord(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features))
    return { error: `${fileName} is not a GeoJSON FeatureCollection` };
  const features: unknown[] = json.features;
  const polygons: { geometry: RegionGeometry; properties: Record<string, unknown> }[] = [];
  const otherTypes = new Map<string, number>();
  for (const f of features) {
    const g = isRecord(f) && isRecord(f.geometry) ? f.geometry : null;
    const type = g && typeof g.type === 'string' ? g.type : 'no geometry';
    if (g && (type === 'Polygon' || type === 'MultiPolygon') && Array.isArray(g.coordinates))
      polygons.push({
        geometry: g as unknown as RegionGeometry,
        properties: isRecord(f) && isRecord(f.properties) ? f.properties : {},
      });
    else otherTypes.set(type, (otherTypes.get(type) ?? 0) + 1);
  }
  if (polygons.length === 0)
    return {
      error: `${fileName} has no Polygon or MultiPolygon features (${namedCounts(otherTypes) || 'no features'})`,
    };
  const keys = new Set(polygons.flatMap((p) => Object.keys(p.properties)));
  const classKey = CLASS_PROPERTIES.map((name) => [...keys].find((k) => k.toLowerCase() === name)).find(
    (k) => k !== undefined,
  );
  if (!classKey)
    return {
      error: `${fileName} needs a property naming each polygon's land-use class (e.g. "landuse" or "class"); its properties are ${[...keys].map((k) => `"${k}"`).join(', ') || 'none'}`,
    };
  const classOf = (p: Record<string, unknown>): string => {
    const v = p[classKey];
    return typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
  };
  const own = [...new Set(polygons.map((p) => classOf(p.properties)).filter((c) => c !== ''))].sort();
  const classes = classesFor(city, own, options);
  const { column, unmapped } = applyCategoryMapping(
    polygons.map((p) => classOf(p.properties)),
    classes,
  );

  const n = city.regions.length;
  const regionRows: number[] = [];
  const index = new Flatbush(Math.max(1, city.regions.filter((r) => r.geometry).length));
  city.regions.forEach((r, i) => {
    if (!r.geometry) return;
    regionRows.push(i);
    const [x0, y0, x1, y1] = geometryBounds(r.geometry);
    index.add(x0, y0, x1, y1);
  });
  if (regionRows.length === 0) return { error: `${fileName}: the city has no region boundaries to clip to` };
  index.finish();
  const regionArea = new Float64Array(n);
  const regionFeature: (Feature<Polygon | MultiPolygon> | null)[] = city.regions.map((r, i) => {
    if (!r.geometry) return null;
    regionArea[i] = area(r.geometry);
    return asFeature(r.geometry);
  });

  const data = new Float64Array(n * classes.length);
  let inside = 0;
  let outside = 0;
  let areaInside = 0;
  let areaTotal = 0;
  let broken = 0;
  polygons.forEach((p, k) => {
    if (options.onProgress && k % POLYGONS_PER_REPORT === 0 && k > 0)
      options.onProgress('locating', k, polygons.length);
    const c = column[k];
    if (c < 0) return;
    const polygonArea = area(p.geometry);
    areaTotal += polygonArea;
    const [x0, y0, x1, y1] = geometryBounds(p.geometry);
    let covered = 0;
    for (const hit of index.search(x0, y0, x1, y1)) {
      const row = regionRows[hit];
      const region = regionFeature[row];
      if (!region || regionArea[row] <= 0) continue;
      let shared: Feature<Polygon | MultiPolygon> | null;
      try {
        shared = intersect({ type: 'FeatureCollection', features: [region, asFeature(p.geometry)] });
      } catch {
        broken++;
        return;
      }
      if (!shared) continue;
      const a = area(shared);
      if (a <= 0) continue;
      data[row * classes.length + c] += a / regionArea[row];
      covered += a;
    }
    if (covered > 0) inside++;
    else outside++;
    areaInside += covered;
  });
  options.onProgress?.('locating', polygons.length, polygons.length);
  if (unmapped.size && [...column].every((c) => c < 0))
    return {
      error: `${fileName}: none of its polygons has one of the city's land-use classes (${classes.join(', ')}); its classes: ${namedCounts(unmapped)}`,
    };
  if (inside === 0)
    return { error: `${fileName}: none of its ${polygons.length} polygons overlaps a region` };
  let scaled = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < classes.length; c++) sum += data[i * classes.length + c];
    if (sum > 1 + 1e-9) {
      scaled++;
      for (let c = 0; c < classes.length; c++) data[i * classes.length + c] /= sum;
    }
  }
  const unknown = [...unmapped.values()].reduce((a, b) => a + b, 0);
  const report = [
    `${fileName}: ${features.length} features; ${polygons.length} polygons with the class in "${classKey}"`,
    `${inside} polygons clipped to the regions: area shares of ${classes.length} land-use classes in ${n} regions (${areaTotal > 0 ? ((100 * areaInside) / areaTotal).toFixed(1) : '0'}% of their area inside the regions)`,
    `${outside} polygons outside every region`,
    `${unknown} polygons of unknown land-use classes${unmapped.size ? `: ${namedCounts(unmapped)}` : ''}`,
    ...(otherTypes.size
      ? [`${features.length - polygons.length} features not polygons: ${namedCounts(otherTypes)}`]
      : []),
    ...(broken ? [`${broken} polygons with broken coordinates (could not be clipped) left out`] : []),
    ...(scaled
      ? [`${scaled} regions where land-use polygons overlap: their shares scaled down to sum to 1`]
      : []),
  ];
  return {
    city: {
      ...city,
      views: { ...city.views, landUse: { rows: n, cols: classes.length, data }, landUseClasses: classes },
    },
    report,
  };
}
