/**
 * A new city from a study area: the area typed as a box or drawn on the map (click corners;
 * Enter or a click on the first corner closes it, Backspace takes back a corner, Escape
 * cancels), tessellated in a worker (live cell count, then the city), opened and saved like
 * dropped files. Its views come next, from raw layers dropped on it.
 */
import type { StudyArea, Tessellation } from '../../core/city/studyArea';
import type { TessellateMessage, TessellateRequest } from '../../workers/protocol';
import { openBuiltCity } from './loading';
import { useApp } from '../state/store';

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, (m: TessellateMessage) => void>();

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

function ask(request: WithoutId<TessellateRequest>): Promise<TessellateMessage> {
  if (!worker) {
    worker = new Worker(new URL('../../workers/tessellate.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<TessellateMessage>) => {
      waiting.get(e.data.id)?.(e.data);
      waiting.delete(e.data.id);
    };
    worker.onerror = (e) => {
      for (const [id, resolve] of waiting)
        resolve({ type: 'failed', id, message: e.message || 'the tessellation worker failed' });
      waiting.clear();
      worker?.terminate();
      worker = null;
    };
  }
  const id = ++nextId;
  const w = worker;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    w.postMessage({ ...request, id } satisfies TessellateRequest);
  });
}

export interface CellCountReport {
  count: number;
  /** false: an estimate from the area (far too many cells to enumerate). */
  exact: boolean;
  /** Mean cell area (H3: worldwide, at the resolution) and the study area's, in km². */
  cellKm2: number;
  areaKm2: number;
}

/** How many cells the tessellation gives (exact, or an estimate when far too many), or why none. */
export async function countAreaCells(
  area: StudyArea,
  tessellation: Tessellation,
): Promise<CellCountReport | { error: string }> {
  const m = await ask({ type: 'count', area, tessellation });
  if (m.type === 'count') return { count: m.count, exact: m.exact, cellKm2: m.cellKm2, areaKm2: m.areaKm2 };
  return { error: m.type === 'failed' ? m.message : 'unexpected answer from the worker' };
}

/** Tessellate the area in the worker and open the city; resolves to an error message or null. */
export async function createCityFromArea(
  area: StudyArea,
  tessellation: Tessellation,
  name: string,
): Promise<string | null> {
  const s = useApp.getState();
  s.setLoading(`${name || 'New city'} (tessellating)`);
  const m = await ask({ type: 'tessellate', area, tessellation, name });
  useApp.getState().setLoading(null);
  if (m.type !== 'city') return m.type === 'failed' ? m.message : 'unexpected answer from the worker';
  useApp.getState().setStudyArea(null);
  await openBuiltCity(m.city.metadata.name, m.city, m.bundle);
  return null;
}

/** Start drawing the study area on the map (clicks add corners). */
export function startAreaDrawing(): void {
  const s = useApp.getState();
  if (s.brush !== null) s.setBrush(null);
  s.setStudyArea({ corners: [], drawing: true });
}

/** A click on the map while drawing: add a corner, or (on the first corner) close the area. */
export function addAreaCorner(corner: [number, number], closes: boolean): void {
  const area = useApp.getState().studyArea;
  if (!area?.drawing) return;
  if (closes && area.corners.length >= 3) closeArea();
  else useApp.getState().setStudyArea({ corners: [...area.corners, corner], drawing: true });
}

/** Finish drawing (needs three corners). */
export function closeArea(): void {
  const area = useApp.getState().studyArea;
  if (area && area.corners.length >= 3)
    useApp.getState().setStudyArea({ corners: area.corners, drawing: false });
}

export function removeAreaCorner(): void {
  const area = useApp.getState().studyArea;
  if (area?.drawing) useApp.getState().setStudyArea({ ...area, corners: area.corners.slice(0, -1) });
}

export function cancelArea(): void {
  useApp.getState().setStudyArea(null);
}

/** The drawn outline as a study area (null until it is closed). */
export function drawnArea(corners: [number, number][]): StudyArea | null {
  if (corners.length < 3) return null;
  return { polygon: { type: 'Polygon', coordinates: [[...corners, corners[0]]] } };
}
