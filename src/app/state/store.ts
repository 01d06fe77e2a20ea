/**
 * The app's one store: the slices combined. Each slice (one file beside this one) owns its
 * fields and changes them only through its named pure updaters; controllers and components
 * call the slices' actions. Tests make a store of their own with `createAppStore`.
 */
import { create } from 'zustand';
import { citySlice, type CitySlice } from './city';
import { importSlice, type ImportSlice } from './importing';
import { llmSlice, type LlmSlice } from './llm';
import { newCitySlice, type NewCitySlice } from './newCity';
import { sessionSlice, type SessionSlice } from './session';
import { tasksSlice, type TasksSlice } from './tasks';
import { trainingSlice, type TrainingSlice } from './training';
import { viewSlice, type ViewSlice } from './view';

export type AppState = CitySlice &
  ViewSlice &
  ImportSlice &
  TrainingSlice &
  TasksSlice &
  NewCitySlice &
  LlmSlice &
  SessionSlice;

export function createAppStore() {
  return create<AppState>()((set, get) => ({
    ...citySlice(set, get),
    ...viewSlice(set),
    ...importSlice(set),
    ...trainingSlice(set),
    ...tasksSlice(set),
    ...newCitySlice(set),
    ...llmSlice(set),
    ...sessionSlice(set, get),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;

/** The store of the page. */
export const useApp = createAppStore();
