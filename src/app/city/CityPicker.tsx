import { useRef, useState } from 'react';
import type { CityGroup } from './catalog';
import { cityKeyIntent } from './cityKeys';
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
  // Arrowing through a closed select changes its value on every key, and a city can take seconds
  // to load (2,000 regions): a change made by a browsing key only marks the city browsed to, and
  // it opens on Enter or when the focus leaves the select. No timer opens it: a screen reader
  // user still listening to the option names would get a city they did not choose. A choice made
  // with the mouse (or in the opened list) comes with no browsing key and opens at once.
  const [browsed, setBrowsed] = useState<string | null>(null);
  const browsingKey = useRef(false);
  const browsedEntry =
    browsed !== null && browsed !== value ? entries.find((x) => x.key === browsed) : undefined;

  /** Opens an entry of the list, once the user agrees to stop a run on the open city. */
  const asking = useRef(false);
  const open = (key: string): void => {
    setBrowsed(null);
    const entry = entries.find((x) => x.key === key);
    // The confirm dialog may blur the select: that blur must not ask a second time.
    if (!entry || key === value || asking.current) return;
    // A run belongs to its city: opening another stops it, so ask first.
    const { training } = useApp.getState();
    const running = current ? stoppedBy(training, current.city.metadata.name, entry.name) : null;
    asking.current = true;
    const agreed =
      !running ||
      window.confirm(
        `Training on ${running.city} is in progress (${running.epochsDone} of ${running.epochs} epochs). Opening ${entry.name} stops it, and nothing of it is kept. Open ${entry.name}?`,
      );
    asking.current = false;
    if (agreed) void cities.openEntry(entry);
  };

  return (
    <div className="city-picker">
      <label htmlFor="city-select">City</label>
      <select
        id="city-select"
        data-testid="city-select"
        value={browsedEntry ? browsedEntry.key : value}
        disabled={entries.length === 0}
        aria-describedby={browsedEntry ? 'city-browsed' : undefined}
        onKeyDown={(e) => {
          const intent = cityKeyIntent(e);
          browsingKey.current = intent === 'browse';
          if (intent === 'open' && browsedEntry) {
            e.preventDefault();
            open(browsedEntry.key);
          } else if (intent === 'revert' && browsedEntry) setBrowsed(null);
        }}
        onKeyUp={() => {
          browsingKey.current = false;
        }}
        onBlur={() => {
          browsingKey.current = false;
          if (browsedEntry) open(browsedEntry.key);
        }}
        onChange={(e) => {
          if (browsingKey.current) setBrowsed(e.target.value);
          else open(e.target.value);
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
      {browsedEntry && (
        <span id="city-browsed" className="city-browsed" data-testid="city-browsed">
          Enter opens {browsedEntry.name}
        </span>
      )}
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
