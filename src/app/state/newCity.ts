/**
 * The new-city slice: the study area of a new city, drawn corner by corner on the map (or a
 * typed box, previewed there).
 */
import type { StudyArea } from '../../core/city/studyArea';
import { apply, type SetState } from './slice';
import { setBrush, type TasksState } from './tasks';

/** The outline of a study area for a new city: drawn corner by corner, or a typed box. */
export interface StudyAreaOutline {
  /** [lon, lat] corners, not closed. */
  corners: [number, number][];
  /** While true, clicks on the map add corners. */
  drawing: boolean;
}

export interface NewCityState {
  /** The study area of a new city being drawn or previewed on the map. */
  studyArea: StudyAreaOutline | null;
}

export interface NewCityActions {
  setStudyArea: (area: StudyAreaOutline | null) => void;
  /** Start drawing the study area on the map (clicks add corners). */
  startAreaDrawing: () => void;
  /** A click on the map while drawing: add a corner, or (on the first corner) close the area. */
  addAreaCorner: (corner: [number, number], closes: boolean) => void;
  /** Finish drawing (needs three corners). */
  closeArea: () => void;
  removeAreaCorner: () => void;
}

export type NewCitySlice = NewCityState & NewCityActions;

export const initialNewCity: NewCityState = { studyArea: null };

/** Drawing begins with no corner; a paint brush in use is put down. */
export const startAreaDrawing = (s: Pick<TasksState, 'brush'>): Partial<NewCityState & TasksState> => ({
  studyArea: { corners: [], drawing: true },
  ...(s.brush !== null ? setBrush(null) : {}),
});

export function closeArea(s: NewCityState): Partial<NewCityState> {
  const area = s.studyArea;
  return area && area.corners.length >= 3 ? { studyArea: { corners: area.corners, drawing: false } } : {};
}

export function addAreaCorner(
  s: NewCityState,
  corner: [number, number],
  closes: boolean,
): Partial<NewCityState> {
  const area = s.studyArea;
  if (!area?.drawing) return {};
  if (closes && area.corners.length >= 3) return closeArea(s);
  return { studyArea: { corners: [...area.corners, corner], drawing: true } };
}

export function removeAreaCorner(s: NewCityState): Partial<NewCityState> {
  const area = s.studyArea;
  return area?.drawing ? { studyArea: { ...area, corners: area.corners.slice(0, -1) } } : {};
}

/** The drawn outline as a study area (null until it has three corners). */
export function drawnArea(corners: [number, number][]): StudyArea | null {
  if (corners.length < 3) return null;
  return { polygon: { type: 'Polygon', coordinates: [[...corners, corners[0]]] } };
}

export function newCitySlice(set: SetState<NewCitySlice & TasksState>): NewCitySlice {
  return {
    ...initialNewCity,
    setStudyArea: (studyArea) => apply(set, () => ({ studyArea })),
    startAreaDrawing: () => apply(set, startAreaDrawing),
    addAreaCorner: (corner, closes) => apply(set, (s) => addAreaCorner(s, corner, closes)),
    closeArea: () => apply(set, closeArea),
    removeAreaCorner: () => apply(set, removeAreaCorner),
  };
}
