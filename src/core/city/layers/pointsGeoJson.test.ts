import { gunzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../../cli/fsSource';
import { RAW_INCIDENTS, RAW_POI_POINTS } from '../../samples/sampleCities';
import { loadCity } from '../load';
import { importIncidentLabels, importPoiPoints, pointsFromCsv } from './pointsCsv';
import { rawLayerKind } from '../droppedFiles';
import { rawLayerText } from './rawLayerFiles';
import { looksLikePointGeoJson, pointGeoJsonAsCsv } from './pointsGeoJson';
import type { City } from '../types';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const point = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: [lon, lat] },
});
const square = {
  type: 'Feature',
  properties: { name: 'A' },
  geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] }, // prettier-ignore
};

describe('point layers as GeoJSON', () => {
  it('tells points from polygons by the first geometry type', () => {
    const points = JSON.stringify({
      type: 'FeatureCollection',
      features: [point(8.8, 47.5, { category: 'bar' })],
    });
    expect(looksLikePointGeoJson(points)).toBe(true);
    expect(looksLikePointGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [square] }))).toBe(
      false,
    );
    expect(looksLikePointGeoJson('{"name": "Riverton"}')).toBe(false);
  });

  it('reads points and multipoints as lon, lat and one column per property (quoted where needed)', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        point(8.8, 47.5, { category: 'bar, pub', id: 3 }),
        { type: 'Feature', properties: { category: 'cafe' }, geometry: { type: 'MultiPoint', coordinates: [[8.81, 47.51], [8.82, 47.52]] } }, // prettier-ignore
        point(8.83, 47.53, { nested: { no: 1 } }),
      ],
    });
    expect(pointGeoJsonAsCsv(text, 'pois.geojson')).toEqual({
      text: 'lon,lat,category,id\n8.8,47.5,"bar, pub",3\n8.81,47.51,cafe,\n8.82,47.52,cafe,\n8.83,47.53,,\n',
    });
  });

  it('leaves polygons and other JSON to their own readers, and refuses mixed geometry', () => {
    expect(
      pointGeoJsonAsCsv(JSON.stringify({ type: 'FeatureCollection', features: [square] }), 'r.geojson'),
    ).toBeNull();
    expect(pointGeoJsonAsCsv('{"format": "topt-city"}', 'city.json')).toBeNull();
    expect(
      pointGeoJsonAsCsv(
        JSON.stringify({ type: 'FeatureCollection', features: [point(1, 1, {}), point(2, 2, {}), square] }),
        'mixed.geojson',
      ),
    ).toEqual({
      error:
        'mixed.geojson mixes geometry types: 2 points and 1 Polygon; give point layers as a file of points only',
    });
  });

  it('writes a coordinate that is not a JSON number as its JSON text, so the CSV reader drops it', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: ['-87.6', '41.8'] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [null, true] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [8.8] } },
      ],
    });
    expect(pointGeoJsonAsCsv(text, 'pois.geojson')).toEqual({
      text: 'lon,lat\n"""-87.6""","""41.8"""\nnull,true\n8.8,\n',
    });
  });

  it('drops points whose coordinates are strings, naming each point and saying it is a string', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        point(8.8, 47.5, { category: 'bar' }),
        { type: 'Feature', properties: { category: 'cafe' }, geometry: { type: 'Point', coordinates: ['-87.6', '41.8'] } }, // prettier-ignore
        { type: 'Feature', properties: { category: 'cafe' }, geometry: { type: 'Point', coordinates: [8.8, '47.5'] } }, // prettier-ignore
        point(8.81, 47.51, { category: 'bar' }),
      ],
    });
    const read = rawLayerText('pois.geojson', new TextEncoder().encode(text.replace('47.5]', '1e999]')));
    if ('error' in read) throw new Error(read.error);
    const parsed = pointsFromCsv(read.text, 'pois.geojson');
    if ('error' in parsed) throw new Error(parsed.error);
    expect([...parsed.points.lon]).toEqual([8.81]);
    expect(parsed.points.dropped).toBe(3);
    expect(parsed.points.problems).toEqual([
      'pois.geojson point 1: latitude "Infinity" is not a finite number',
      'pois.geojson point 2: longitude "-87.6" is a string (in quotes), not a number',
      'pois.geojson point 3: latitude "47.5" is a string (in quotes), not a number',
    ]);
  });

  it('refuses a file whose every coordinate is a string, with the reason of the first', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: ['8.8', '47.5'] } },
      ],
    });
    const read = rawLayerText('pois.geojson', new TextEncoder().encode(text));
    if ('error' in read) throw new Error(read.error);
    expect(pointsFromCsv(read.text, 'pois.geojson')).toEqual({
      error:
        'pois.geojson: no row has numeric coordinates (pois.geojson point 1: longitude "8.8" is a string (in quotes), not a number)',
    });
  });

  describe('on Riverton', () => {
    let city: City;
    const csvRows = (file: string, k: number): string[][] =>
      new TextDecoder()
        .decode(gunzipSync(new Uint8Array(readFileSync(join(riverton, file)))))
        .trim()
        .split('\n')
        .slice(1, k + 1)
        .map((line) => line.split(','));
    const riverton = join(import.meta.dirname, '../../../../sample-cities/riverton');
    beforeAll(async () => {
      city = (await loadCity(directorySource(riverton))).city!;
    });

    it('POI points as GeoJSON import exactly as the same points as CSV', () => {
      const rows = csvRows(RAW_POI_POINTS, 500);
      const geojson = encode({
        type: 'FeatureCollection',
        features: rows.map(([lon, lat, category]) => point(Number(lon), Number(lat), { category })),
      });
      const read = rawLayerText('pois.geojson', geojson);
      if ('error' in read) throw new Error(read.error);
      expect(rawLayerKind(read.text, 'pois.geojson')).toBe('poi');
      const fromJson = importPoiPoints(city, read.text, 'pois.geojson');
      const csv = ['lon,lat,category', ...rows.map((r) => r.join(','))].join('\n');
      const fromCsv = importPoiPoints(city, csv, 'pois.csv');
      if ('error' in fromJson || 'error' in fromCsv) throw new Error('import failed');
      expect([...fromJson.city.views.poi!.data]).toEqual([...fromCsv.city.views.poi!.data]);
      expect(fromJson.city.views.poi!.data.reduce((a, b) => a + b, 0)).toBe(500);
    });

    it('incident points as GeoJSON (a "task" property) become task labels', () => {
      const rows = csvRows(RAW_INCIDENTS, 300);
      const read = rawLayerText(
        'incidents.geojson',
        encode({
          type: 'FeatureCollection',
          features: rows.map(([lon, lat, task]) => point(Number(lon), Number(lat), { task })),
        }),
      );
      if ('error' in read) throw new Error(read.error);
      expect(rawLayerKind(read.text, 'incidents.geojson')).toBe('incidents');
      const result = importIncidentLabels(city, read.text, 'incidents.geojson');
      if ('error' in result) throw new Error(result.error);
      // The file's tasks are counted from its points; the city's other tasks stay as they were.
      const tasks = new Set(rows.map((r) => r[2]));
      const total = result.city.labels
        .filter((l) => tasks.has(l.id))
        .reduce((sum, l) => sum + l.values.reduce((a, b) => a + b, 0), 0);
      expect(total).toBe(300);
    });

    it('region polygons named .geojson stay GeoJSON (not a point layer)', () => {
      const regions = readFileSync(join(riverton, 'regions.geojson'));
      const read = rawLayerText('regions.geojson', new Uint8Array(regions));
      if ('error' in read) throw new Error(read.error);
      expect(read.text.trimStart().startsWith('{')).toBe(true);
      expect(rawLayerKind(read.text, 'regions.geojson')).toBeNull();
      expect(looksLikePointGeoJson(read.text.slice(0, 65536))).toBe(false);
    });
  });
});
