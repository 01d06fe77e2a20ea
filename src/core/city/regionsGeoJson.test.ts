import { describe, expect, it } from 'vitest';
import { loadGeoJsonCity } from './geojson';
import { ProblemList } from './problems';
import { parseRegionsGeoJson, PROGRESS_EVERY } from './regionsGeoJson';

/** `n` unit squares of 0.001° in a row, ids R0, R1, ... */
function squares(n: number): Uint8Array {
  const features = Array.from({ length: n }, (_, i) => {
    const x = 8.5 + i * 0.001;
    return {
      type: 'Feature',
      properties: { id: `R${i}` },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x, 47.3],
            [x + 0.001, 47.3],
            [x + 0.001, 47.301],
            [x, 47.301],
            [x, 47.3],
          ],
        ],
      },
    };
  });
  return new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features }));
}

type Call = [phase: string, done: number, total: number];

describe('progress while reading a regions GeoJSON', () => {
  it('is told once before parsing, then every 2,000 features checked and once when all are', () => {
    expect(PROGRESS_EVERY).toBe(2000);
    const bytes = squares(4500);
    const calls: Call[] = [];
    const parsed = parseRegionsGeoJson(bytes, 'r.geojson', new ProblemList(), {}, (...c) => calls.push(c));
    expect(parsed?.regions).toHaveLength(4500);
    expect(calls).toEqual([
      ['parsing', 0, bytes.length],
      ['checking', 0, 4500],
      ['checking', 2000, 4500],
      ['checking', 4000, 4500],
      ['checking', 4500, 4500],
    ]);
  });

  it('ends at all features checked when a count is a multiple of 2,000, without telling it twice', () => {
    const calls: Call[] = [];
    loadGeoJsonCity(squares(4000), 'r.geojson', {}, (...c) => calls.push(c));
    expect(calls.slice(1)).toEqual([
      ['checking', 0, 4000],
      ['checking', 2000, 4000],
      ['checking', 4000, 4000],
    ]);
  });

  it('tells only the parsing of a file that is not JSON', () => {
    const calls: Call[] = [];
    const result = loadGeoJsonCity(new TextEncoder().encode('{"type":'), 'r.geojson', {}, (...c) =>
      calls.push(c),
    );
    expect(result.city).toBeNull();
    expect(calls).toEqual([['parsing', 0, 8]]);
  });
});
