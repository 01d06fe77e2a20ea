/**
 * The regions side of the bad-input corpus (fixtures/bad-regions/): files a user might drop as
 * region polygons, each refused with its specific message naming the feature and field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDroppedFiles } from './load';
import { formatProblem } from './problems';

const corpus = join(import.meta.dirname, 'fixtures/bad-regions');

describe('regions: the corpus of broken files, each with its message', () => {
  it.each([
    [
      'mixed-geometry.geojson',
      [
        'error: mixed-geometry.geojson, feature 1 (id "B"), field "geometry": geometry type is "Point": regions must be Polygon or MultiPolygon',
        'error: mixed-geometry.geojson, feature 2 (id "C"), field "geometry": geometry type is "LineString": regions must be Polygon or MultiPolygon',
      ],
    ],
    [
      'duplicate-ids.geojson',
      [
        'error: duplicate-ids.geojson, feature 2 (id "A"), field "id": duplicate region id "A" (also feature 0)',
      ],
    ],
  ])('%s', async (file, messages) => {
    const r = await loadDroppedFiles([
      { name: file, bytes: new Uint8Array(readFileSync(join(corpus, file))) },
    ]);
    expect(r.city).toBeNull();
    expect(r.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual(messages);
  });
});
