import { describe, expect, it } from 'vitest';
import { tessellate } from '../../core/city/tessellate';
import {
  addAreaCorner,
  cancelArea,
  closeArea,
  drawnArea,
  removeAreaCorner,
  startAreaDrawing,
} from './newCity';
import { useApp } from '../state/store';

const area = () => useApp.getState().studyArea;

describe('drawing the study area of a new city', () => {
  it('adds corners while drawing, takes the last back, closes on the first corner or Enter', () => {
    addAreaCorner([8.8, 47.5], false);
    expect(area()).toBeNull(); // not drawing: clicks do nothing
    startAreaDrawing();
    addAreaCorner([8.8, 47.5], false);
    addAreaCorner([9.0, 47.5], false);
    // A click on the first corner with only two corners adds it (no area yet).
    addAreaCorner([8.8, 47.5], true);
    expect(area()?.corners).toHaveLength(3);
    removeAreaCorner();
    addAreaCorner([8.9, 47.6], false);
    expect(area()).toEqual({
      corners: [
        [8.8, 47.5],
        [9.0, 47.5],
        [8.9, 47.6],
      ],
      drawing: true,
    });
    addAreaCorner([8.8, 47.5], true);
    expect(area()?.drawing).toBe(false);
    // Once closed, clicks no longer add corners.
    addAreaCorner([9.1, 47.7], false);
    expect(area()?.corners).toHaveLength(3);

    const study = drawnArea(area()?.corners ?? []);
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

  it('needs three corners to close, Escape cancels, and a paint brush in use is put down', () => {
    useApp.getState().setBrush(1);
    startAreaDrawing();
    expect(useApp.getState().brush).toBeNull();
    addAreaCorner([8.8, 47.5], false);
    addAreaCorner([9.0, 47.5], false);
    closeArea();
    expect(area()?.drawing).toBe(true);
    expect(drawnArea(area()?.corners ?? [])).toBeNull();
    cancelArea();
    expect(area()).toBeNull();
  });
});
