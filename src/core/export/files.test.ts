import { describe, expect, it } from 'vitest';
import { parseCsv } from '../io/csv';
import { readNpy } from '../io/npy';
import {
  embeddingsCsv,
  embeddingsNpy,
  exportName,
  predictionsCsv,
  predictionsGeoJson,
  fileSlug,
} from './files';

describe('export files', () => {
  it('names files by city, content and date', () => {
    expect(fileSlug('Riverton (sample)')).toBe('riverton-sample');
    expect(fileSlug('北京')).toBe('city');
    expect(exportName('San Francisco', 'embeddings', new Date('2026-11-24T12:00:00Z'), 'npy')).toBe(
      'san-francisco_embeddings_2026-11-24.npy',
    );
  });

  it('writes embeddings as N x d float32 .npy and as .csv with region ids', () => {
    const e = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const npy = readNpy(embeddingsNpy(e, 3, 2, 'x.npy').bytes);
    expect(npy.shape).toEqual([3, 2]);
    expect(npy.dtype).toBe('float32');
    expect(Array.from(npy.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    const csv = parseCsv(new TextDecoder().decode(embeddingsCsv(['a', 'b', 'c'], e, 2, 'x.csv').bytes));
    expect(csv.header).toEqual(['region_id', 'e0', 'e1']);
    expect(csv.rows[2].cells).toEqual(['c', '5', '6']);
  });

  it('writes predictions with the actual value, the prediction and whether it was held out', () => {
    const file = predictionsCsv(
      ['r1', 'r2'],
      ['North', null],
      [
        {
          task: 'crime',
          actual: Float64Array.from([3, NaN]),
          predicted: Float64Array.from([2.5, 4]),
          heldOut: Uint8Array.from([1, 0]),
        },
      ],
      'p.csv',
    );
    const csv = parseCsv(new TextDecoder().decode(file.bytes));
    expect(csv.header).toEqual(['region_id', 'name', 'crime_actual', 'crime_predicted', 'crime_held_out']);
    expect(csv.rows.map((r) => r.cells)).toEqual([
      ['r1', 'North', '3', '2.5', '1'],
      ['r2', '', '', '4', '0'],
    ]);
  });

  it("adds each region's residual cluster (LISA kind) where the run has one", () => {
    const column = {
      task: 'crime',
      actual: Float64Array.from([3, NaN, 1]),
      predicted: Float64Array.from([2.5, 4, 1]),
      heldOut: Uint8Array.from([1, 0, 1]),
      residualCluster: Int8Array.from([0, -1, 4]),
    };
    const csv = parseCsv(
      new TextDecoder().decode(
        predictionsCsv(['r1', 'r2', 'r3'], [null, null, null], [column], 'p.csv').bytes,
      ),
    );
    expect(csv.header.at(-1)).toBe('crime_residual_cluster');
    expect(csv.rows.map((r) => r.cells.at(-1))).toEqual(['high-high', '', 'not significant']);
    const regions = ['a', 'b', 'c'].map((id) => ({
      id,
      name: id,
      geometry: null,
      centroid: [0, 0] as [number, number],
    }));
    const fc = JSON.parse(
      new TextDecoder().decode(predictionsGeoJson(regions, [column], 'p.geojson').bytes),
    ) as {
      features: { properties: Record<string, unknown> }[];
    };
    expect(fc.features.map((f) => f.properties.crime_residual_cluster)).toEqual([
      'high-high',
      null,
      'not significant',
    ]);
  });

  it('writes predictions as GeoJSON features with the values as properties', () => {
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    };
    const file = predictionsGeoJson(
      [
        { id: 'a', name: 'A', geometry: square, centroid: [0.6, 0.3] },
        { id: 'b', name: 'B', geometry: null, centroid: [2, 3] },
      ],
      [
        {
          task: 'crime',
          actual: Float64Array.from([5, NaN]),
          predicted: Float64Array.from([4.5, 7]),
          heldOut: Uint8Array.from([1, 0]),
        },
      ],
      'p.geojson',
    );
    const fc = JSON.parse(new TextDecoder().decode(file.bytes)) as {
      features: { geometry: { type: string } | null; properties: Record<string, unknown> }[];
    };
    expect(fc.features[0].geometry?.type).toBe('Polygon');
    expect(fc.features[1].geometry).toEqual({ type: 'Point', coordinates: [2, 3] });
    expect(fc.features[0].properties).toEqual({
      region_id: 'a',
      name: 'A',
      crime_actual: 5,
      crime_predicted: 4.5,
      crime_held_out: true,
    });
    expect(fc.features[1].properties.crime_actual).toBeNull();
  });
});
