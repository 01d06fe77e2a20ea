import { describe, expect, it } from 'vitest';
import { basemapFailed, initialView, pressEscape, updateSettings } from './view';

describe('the view slice', () => {
  it('changes one setting and keeps the others; switching the basemap forgets why it failed', () => {
    const s = { ...initialView, basemapError: 'offline' };
    expect(updateSettings(s, { palette: 'cividis' })).toEqual({
      settings: { palette: 'cividis', classes: 5, method: 'quantile', basemap: false },
    });
    expect(updateSettings(s, { basemap: true })).toEqual({
      settings: { palette: 'viridis', classes: 5, method: 'quantile', basemap: true },
      basemapError: null,
    });
  });

  it('keeps the first basemap failure (every missing tile reports its own), and can clear it', () => {
    expect(basemapFailed({ basemapError: null }, 'tile 3/4/2: offline')).toEqual({
      basemapError: 'tile 3/4/2: offline',
    });
    expect(basemapFailed({ basemapError: 'tile 3/4/2: offline' }, 'tile 3/4/3: offline')).toEqual({});
    expect(basemapFailed({ basemapError: 'tile 3/4/2: offline' }, null)).toEqual({ basemapError: null });
  });

  it('Escape closes the settings first, then clears the selection', () => {
    expect(pressEscape({ settingsOpen: true })).toEqual({ settingsOpen: false });
    expect(pressEscape({ settingsOpen: false })).toEqual({ selected: null });
  });
});
