import { describe, expect, it } from 'vitest';
import {
  categoriesAnswered,
  categoriesAsked,
  importProgressed,
  mappingAsked,
  type PendingCategories,
  type PendingMapping,
} from './importing';

const pending: PendingCategories = {
  files: [{ name: 'osm-pois.csv', bytes: new Uint8Array(3) }],
  layers: [{ file: 'osm-pois.csv', choices: [], targets: ['shopping'] }],
};

describe('the import slice', () => {
  it('asks for POI categories when the import that asked is still the latest load', () => {
    expect(categoriesAsked({ loadTicket: 4 }, 4, pending)).toEqual({
      loading: null,
      pendingCategories: pending,
    });
    expect(categoriesAsked({ loadTicket: 5 }, 4, pending)).toEqual({});
  });

  it('asks what the numeric properties of a GeoJSON read in the worker are only if its load is still the latest', () => {
    const mapping: PendingMapping = {
      fileName: 'tracts.geojson',
      bytes: new Uint8Array(3),
      properties: [{ name: 'shops', numeric: 2, present: 2, examples: ['1', '4'] }],
      roles: { shops: 'poi' },
    };
    expect(mappingAsked({ loadTicket: 7 }, 7, mapping)).toEqual({ loading: null, pendingMapping: mapping });
    expect(mappingAsked({ loadTicket: 8 }, 7, mapping)).toEqual({});
  });

  it("remembers the choices made for the city's categories, but not a file's own categories", () => {
    const s = { categoryMapping: { 'amenity=bench': 'drop' } };
    expect(categoriesAnswered(s, { mapping: { 'leisure=park': 'parks' }, ownCategories: false })).toEqual({
      pendingCategories: null,
      categoryMapping: { 'amenity=bench': 'drop', 'leisure=park': 'parks' },
    });
    expect(categoriesAnswered(s, { mapping: {}, ownCategories: true })).toEqual({ pendingCategories: null });
    expect(categoriesAnswered(s, null)).toEqual({ pendingCategories: null });
  });

  it("turns the worker's progress into the bar's state and the loading label", () => {
    const within = { phase: 'locating' as const, done: 50_000, total: 120_000 };
    expect(
      importProgressed({ type: 'progress', done: 1, total: 3, file: 'trips.csv', within }, 1000),
    ).toEqual({
      loading: 'trips.csv (2 of 3)',
      importProgress: { file: 'trips.csv', fileIndex: 1, files: 3, within, startedAt: 1000 },
    });
  });
});
