import { useRef } from 'react';
import type { CityGroup } from './catalog';
import { cities } from '../session/controllers';
import { useApp } from '../state/store';
import { stoppedBy } from '../state/training';

const GROUPS: CityGroup[] = ['Sample cities', 'Benchmark cities'];
const ACCEPT = '.geojson,.json,.zip,.csv,.npy';

/** The city list (samples, benchmark) and a button to open your own files. */
export function CityPicker() {
  const entries = useApp((s) => s.entries);
  const current = useApp((s) => s.current);
  const loading = useApp((s) => s.loading);
  const input = useRef<HTMLInputElement>(null);
  const value = current ? (current.entryKey ?? 'files') : '';

  return (
    <div className="city-picker">
      <label htmlFor="city-select">City</label>
      <select
        id="city-select"
        data-testid="city-select"
        value={value}
        disabled={entries.length === 0}
        onChange={(e) => {
          const entry = entries.find((x) => x.key === e.target.value);
          if (!entry) return;
          // A run belongs to its city: opening another stops it, so ask first.
          const { training } = useApp.getState();
          const running = current ? stoppedBy(training, current.city.metadata.name, entry.name) : null;
          if (
            running &&
            !window.confirm(
              `Training on ${running.city} is in progress (${running.epochsDone} of ${running.epochs} epochs). Opening ${entry.name} stops it, and nothing of it is kept. Open ${entry.name}?`,
            )
          )
            return;
          void cities.openEntry(entry);
        }}
      >
        {!current && <option value="">{loading ? 'Loading…' : 'Choose a city'}</option>}
        {current && current.entryKey === null && (
          <option value="files">{current.city.metadata.name} (your files)</option>
        )}
        {GROUPS.map((g) => {
          const list = entries.filter((x) => x.group === g);
          return list.length === 0 ? null : (
            <optgroup key={g} label={g}>
              {list.map((x) => (
                <option key={x.key} value={x.key}>
                  {x.name}
                  {x.regions !== undefined ? ` (${x.regions} regions)` : ''}
                </option>
              ))}
            </optgroup>
          );
        })}
      </select>
      <button
        type="button"
        onClick={() => input.current?.click()}
        title="Open a GeoJSON file, a .zip city bundle or all files of a bundle (or drop them on the page)"
      >
        Open files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        hidden
        data-testid="file-input"
        aria-label="Open city files"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void cities.openFiles(files);
        }}
      />
    </div>
  );
}
