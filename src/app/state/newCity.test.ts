import { describe, expect, it } from 'vitest';
import { tessellate } from '../../core/city/tessellate';
import {
  addAreaCorner,
  closeArea,
  drawnArea,
  initialNewCity,
  removeAreaCorner,
  startAreaDrawing,
  type NewCityState,
} from './newCity';

const click = (s: NewCityState, corner: [number, number], closes = false): NewCityState => ({
  ...s,
  ...addAreaCorner(s, corner, closes),
});

describe('drawing the study area of a new city', () => {
  it('adds corners while drawing, takes the last back, closes on the first corner', () => {
    expect(addAreaCorner(initialNewCity, [8.8, 47.5], false)).toEqual({}); // not drawing: clicks do nothing
    let s: NewCityState = { ...initialNewCity, ...startAreaDrawing({ brush: null }) };
    s = click(click(s, [8.8, 47.5]), [9.0, 47.5]);
    // A click on the first corner with only two corners adds it (no area yet).
    s = click(s, [8.8, 47.5], true);
    expect(s.studyArea?.corners).toHaveLength(3);
    s = { ...s, ...removeAreaCorner(s) };
    s = click(s, [8.9, 47.6]);
    expect(s.studyArea).toEqual({
      corners: [
        [8.8, 47.5],
        [9.0, 47.5],
        [8.9, 47.6],
      ],
      drawing: true,
    });
    s = click(s, [8.8, 47.5], true);
    expect(s.studyArea?.drawing).toBe(false);
    // Once closed, clicks no longer add corners.
    expect(addAreaCorner(s, [9.1, 47.7], false)).toEqual({});

    const study = drawnArea(s.studyArea?.corners ?? []);
    expect(study).toEqual({
      polygon: {
        type: 'Polygon',
        coordinates: [
          [
            [8.8, 47.5],
            [9.0, 47.5],
            [8.9, 47.6],
            [8.8, 47.5],
          ],
        ],
      },
    });
    const made = study && tessellate(study, { kind: 'h3', resolution: 8 });
    expect(made && 'city' in made && made.city.regions.length).toBeGreaterThan(50);
  });

  it('needs three corners to close, and a paint brush in use is put down when drawing starts', () => {
    expect(startAreaDrawing({ brush: 1 })).toEqual({
      studyArea: { corners: [], drawing: true },
      brush: null,
      polygon: [],
    });
    const two: NewCityState = {
      studyArea: {
        corners: [
          [8.8, 47.5],
          [9.0, 47.5],
        ],
        drawing: true,
      },
    };
    expect(closeArea(two)).toEqual({});
    expect(drawnArea(two.studyArea?.corners ?? [])).toBeNull();
    expect(removeAreaCorner({ studyArea: { corners: [[8.8, 47.5]], drawing: false } })).toEqual({});
  });
});
