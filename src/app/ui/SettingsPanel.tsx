import { useState } from 'react';
import { BackendCheck } from '../training/BackendCheck';
import { CachedModels } from '../llm/CachedModels';
import { PromptEncoder } from '../llm/PromptEncoder';
import { RegionAnalyses } from '../llm/RegionAnalyses';
import { training } from '../session/controllers';
import { CLASS_METHODS, PALETTES, type ClassMethod, type PaletteId } from '../map/palette';
import { useApp } from '../state/store';

/** Map settings: palette, classes, and the optional online basemap (off by default). */
export function SettingsPanel() {
  const settings = useApp((s) => s.settings);
  const update = useApp((s) => s.updateSettings);
  const basemapError = useApp((s) => s.basemapError);
  return (
    <div className="settings" role="dialog" aria-label="Map settings" data-testid="settings">
      <fieldset>
        <legend>Palette</legend>
        {(Object.keys(PALETTES) as PaletteId[]).map((id) => (
          <label key={id} className="inline">
            <input
              type="radio"
              name="palette"
              value={id}
              checked={settings.palette === id}
              onChange={() => update({ palette: id })}
            />
            {PALETTES[id].name}
          </label>
        ))}
      </fieldset>
      <label>
        Classes
        <select value={settings.classes} onChange={(e) => update({ classes: Number(e.target.value) })}>
          {[3, 4, 5, 6, 7, 8, 9].map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label>
        Class breaks
        <select value={settings.method} onChange={(e) => update({ method: e.target.value as ClassMethod })}>
          {Object.entries(CLASS_METHODS).map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">
        Residuals always break at 0, blue below and red above; the LISA map has its own colours.
      </p>
      <label className="inline">
        <input
          type="checkbox"
          checked={settings.basemap}
          onChange={(e) => update({ basemap: e.target.checked })}
        />
        Online basemap (OpenStreetMap)
      </label>
      <p className="hint">Off by default: with it on, map tiles are fetched from tile.openstreetmap.org.</p>
      {basemapError && (
        <p className="hint error" role="status">
          Basemap tiles could not be loaded ({basemapError}); the regions are still shown.
        </p>
      )}
      <BackendCheck />
      <PromptEncoder />
      <RegionAnalyses />
      <CachedModels />
      <ClearSavedData />
    </div>
  );
}

/** Remove the saved session and every saved training run from this browser. */
function ClearSavedData() {
  const [cleared, setCleared] = useState(false);
  return (
    <fieldset>
      <legend>Saved data</legend>
      <p className="hint">
        The city you opened, your settings and finished training runs are kept in this browser, so a reload
        brings them back.
      </p>
      <button
        type="button"
        onClick={() => {
          if (!window.confirm('Remove the saved session and all saved training runs from this browser?'))
            return;
          void training.clearSavedData().then(() => setCleared(true));
        }}
      >
        Clear saved data
      </button>
      {cleared && (
        <p className="hint" role="status">
          Saved data cleared. What is on screen stays until you reload.
        </p>
      )}
    </fieldset>
  );
}
