import { useEffect, useState } from 'react';
import {
  H3_MAX_RESOLUTION,
  H3_MIN_RESOLUTION,
  MAX_CELLS,
  parseBbox,
  tessellationFromText,
  type StudyArea,
  type Tessellation,
} from '../../core/city/studyArea';
import { cityBounds } from '../region/geo';
import type { CellCountReport } from './newCity';
import { newCity } from '../session/controllers';
import { drawnArea } from '../state/newCity';
import { formatNumber } from '../region/regionStats';
import { useApp } from '../state/store';
import { largeCityHint } from '../training/estimate';
import { keyBelongsToTarget } from '../ui/keys';

type Count = CellCountReport | { error: string } | null;

const boxCorners = ([w, s, e, n]: [number, number, number, number]): [number, number][] => [
  [w, s],
  [e, s],
  [e, n],
  [w, n],
];

/** A box rounded outwards to 0.001° (about 100 m), so it holds all it was made from. */
function roundOut(b: [number, number, number, number]): number[] {
  return [Math.floor, Math.floor, Math.ceil, Math.ceil].map((r, k) => r(b[k] * 1000) / 1000);
}

function cellSize(km2: number): string {
  return km2 >= 1 ? `${formatNumber(km2)} km²` : `${formatNumber(km2 * 100)} ha`;
}

/** "498 cells of about 70.4 ha": H3 cells shrink away from the equator, so the mean is the area's. */
function countText(c: CellCountReport, kind: 'h3' | 'grid'): string {
  const n = formatNumber(Math.round(c.count));
  if (c.count > MAX_CELLS)
    return `${c.exact ? '' : 'about '}${n} cells: over the limit of ${formatNumber(MAX_CELLS)}`;
  if (c.count === 0) return 'no cell has its centre inside the area: choose smaller cells';
  const each = kind === 'h3' ? `about ${cellSize(c.areaKm2 / c.count)}` : cellSize(c.cellKm2);
  return `${c.exact ? '' : 'about '}${n} cells of ${each}`;
}

/**
 * A new city from nothing but a study area: a box (typed in, the map's view or this city's
 * extent, previewed on the map) or an outline drawn on the map, cut into H3 hexagons or grid
 * squares with a live cell count.
 */
export function NewCityPanel() {
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<'bbox' | 'draw'>('bbox');
  const [bboxText, setBboxText] = useState('');
  const [kind, setKind] = useState<'h3' | 'grid'>('h3');
  const [resolution, setResolution] = useState('8');
  const [size, setSize] = useState('500');
  const [name, setName] = useState('');
  const [counted, setCounted] = useState<{ key: string; count: Count }>({ key: '', count: null });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const studyArea = useApp((s) => s.studyArea);
  const current = useApp((s) => s.current);
  const setStudyArea = useApp((s) => s.setStudyArea);
  const startAreaDrawing = useApp((s) => s.startAreaDrawing);
  const closeArea = useApp((s) => s.closeArea);

  const parsedBox = parseBbox(bboxText);
  const area: StudyArea | null =
    mode === 'bbox'
      ? 'bbox' in parsedBox
        ? parsedBox
        : null
      : studyArea && !studyArea.drawing
        ? drawnArea(studyArea.corners)
        : null;
  // Read as decimals, as the CLI reads --h3 and --grid; the count says why a value is refused.
  const typed = tessellationFromText(kind, kind === 'h3' ? resolution : size);
  const tessellation: Tessellation | null = 'error' in typed ? null : typed;
  const areaKey = JSON.stringify(area);
  const tessKey = JSON.stringify(tessellation);
  const countKey = `${areaKey} ${tessKey}`;
  const count = counted.key === countKey ? counted.count : null;

  // The typed box is previewed on the map.
  useEffect(() => {
    if (!open || mode !== 'bbox') return;
    const parsed = parseBbox(bboxText);
    setStudyArea('bbox' in parsed ? { corners: boxCorners(parsed.bbox), drawing: false } : null);
  }, [open, mode, bboxText, setStudyArea]);

  // Live cell count (in the worker), a moment after the last change.
  useEffect(() => {
    if (!open || !area || !tessellation) return;
    let stale = false;
    const timer = setTimeout(() => {
      void newCity.countAreaCells(area, tessellation).then((c) => {
        if (!stale) setCounted({ key: countKey, count: c });
      });
    }, 200);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // countKey stands for area and tessellation (new objects on every render).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, countKey]);

  // While drawing: Enter closes the outline, Backspace takes back a corner, Escape cancels.
  const drawing = studyArea?.drawing ?? false;
  useEffect(() => {
    if (!drawing) return;
    const onKey = (e: KeyboardEvent): void => {
      // Keys on a field, a select, a button or a link are theirs (Enter presses the button).
      if (keyBelongsToTarget(e.target as HTMLElement | null)) return;
      const s = useApp.getState();
      if (e.key === 'Enter') s.closeArea();
      else if (e.key === 'Backspace') s.removeAreaCorner();
      else if (e.key === 'Escape') s.setStudyArea(null);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [drawing]);

  const fits =
    tessellation !== null &&
    count !== null &&
    'count' in count &&
    count.count > 0 &&
    count.count <= MAX_CELLS;
  const create = async (): Promise<void> => {
    if (!area || !tessellation) return;
    setBusy(true);
    setMessage(null);
    const error = await newCity.createCityFromArea(area, tessellation, name.trim() || 'New city');
    setBusy(false);
    setMessage(error);
    if (!error) setOpen(false);
  };

  return (
    <details
      className="card new-city"
      open={open}
      onToggle={(e) => {
        const isOpen = (e.currentTarget as HTMLDetailsElement).open;
        setOpen(isOpen);
        if (!isOpen) setStudyArea(null);
      }}
    >
      <summary>New city from an area</summary>
      <p className="hint">
        No region boundaries? Give a study area and cut it into H3 hexagons or grid squares; then drop POI
        points and trip records on the new city to fill its views.
      </p>
      <fieldset className="paint-tool">
        <legend>Study area</legend>
        <label>
          <input type="radio" name="area-mode" checked={mode === 'bbox'} onChange={() => setMode('bbox')} />{' '}
          Bounding box
        </label>
        <label>
          <input
            type="radio"
            name="area-mode"
            checked={mode === 'draw'}
            onChange={() => {
              setMode('draw');
              setStudyArea(null);
            }}
          />{' '}
          Draw on the map
        </label>
      </fieldset>
      {mode === 'bbox' ? (
        <>
          <label className="field">
            West, south, east, north (degrees)
            <input
              value={bboxText}
              onChange={(e) => setBboxText(e.target.value)}
              placeholder="e.g. 8.76, 47.48, 9.06, 47.62"
              spellCheck={false}
            />
          </label>
          {current && cityBounds(current.city) && (
            <button
              type="button"
              onClick={() => {
                const b = cityBounds(current.city);
                if (b) setBboxText(roundOut(b).join(', '));
              }}
            >
              Use this city&apos;s extent
            </button>
          )}
          <button
            type="button"
            title="The box the map shows now (turn on the basemap in Settings to find your area)"
            onClick={() => {
              const b = useApp.getState().mapView?.visibleBounds();
              if (b) setBboxText(roundOut(b).join(', '));
            }}
          >
            Use the map&apos;s view
          </button>
          {bboxText.trim() !== '' && 'error' in parsedBox && <p className="hint error">{parsedBox.error}</p>}
        </>
      ) : (
        <div data-testid="area-drawing">
          {drawing ? (
            <p className="hint" role="status" data-testid="area-help">
              Click the corners on the map ({studyArea?.corners.length ?? 0} so far): <kbd>Enter</kbd> or a
              click on the first corner closes the area, <kbd>Backspace</kbd> removes the last corner,{' '}
              <kbd>Escape</kbd> cancels. Turn on the basemap in Settings to see streets.
            </p>
          ) : studyArea && studyArea.corners.length >= 3 ? (
            <p className="hint">Area drawn ({studyArea.corners.length} corners).</p>
          ) : null}
          <div className="train-buttons">
            <button type="button" onClick={startAreaDrawing} disabled={!current}>
              {studyArea ? 'Draw again' : 'Draw the area'}
            </button>
            {drawing && (
              <button type="button" onClick={closeArea} disabled={(studyArea?.corners.length ?? 0) < 3}>
                Close the area
              </button>
            )}
          </div>
        </div>
      )}
      <fieldset className="paint-tool">
        <legend>Cells</legend>
        <label>
          <input type="radio" name="cell-kind" checked={kind === 'h3'} onChange={() => setKind('h3')} /> H3
          hexagons
        </label>
        <label>
          <input type="radio" name="cell-kind" checked={kind === 'grid'} onChange={() => setKind('grid')} />{' '}
          Square grid
        </label>
      </fieldset>
      {kind === 'h3' ? (
        <label className="field">
          H3 resolution ({H3_MIN_RESOLUTION} to {H3_MAX_RESOLUTION}; finer is higher)
          <input
            type="number"
            min={H3_MIN_RESOLUTION}
            max={H3_MAX_RESOLUTION}
            step={1}
            value={resolution}
            onChange={(e) => setResolution(e.target.value)}
          />
        </label>
      ) : (
        <label className="field">
          Cell size (metres)
          <input type="number" min={10} step={50} value={size} onChange={(e) => setSize(e.target.value)} />
        </label>
      )}
      <p className="muted" data-testid="cell-count" aria-live="polite">
        {!area
          ? mode === 'bbox'
            ? 'Enter a box to see how many cells it gives.'
            : 'Draw the area to see how many cells it gives.'
          : 'error' in typed
            ? typed.error
            : count === null
              ? 'Counting cells…'
              : 'error' in count
                ? count.error
                : countText(count, kind)}
      </p>
      {fits && largeCityHint(count.count) && (
        <p className="hint" data-testid="large-city-hint">
          {largeCityHint(count.count)}
        </p>
      )}
      <label className="field">
        City name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="New city" />
      </label>
      <button type="button" className="primary" disabled={!fits || busy} onClick={() => void create()}>
        {busy ? 'Creating…' : 'Create the city'}
      </button>
      {message && (
        <p className="hint error" role="alert">
          {message}
        </p>
      )}
    </details>
  );
}
