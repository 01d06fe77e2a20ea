/**
 * The session slice: what the app keeps between calls for the whole page's life (once module
 * variables): whether it has started, the ticket of the latest load (a load that finishes
 * after a newer one began is dropped), the value to show once a restored run's predictions
 * exist, and whether the user was told that saved data is unavailable.
 */
import { apply, type GetState, type SetState } from './slice';

export interface SessionState {
  /** startApp ran (React runs effects twice in development). */
  started: boolean;
  /** Bumped by every load that begins; a load whose ticket is no longer this one is dropped. */
  loadTicket: number;
  /** A value to show once a restored run's predictions exist (from a link or the saved session). */
  preferredValue: string | null;
  /** The console was told once that IndexedDB is unavailable (every later failure is silent). */
  savedDataWarned: boolean;
}

export interface SessionActions {
  /** Marks the app started; false when it already was. */
  startOnce: () => boolean;
  preferValue: (id: string | null) => void;
  /** Saving or reading failed: say so once, on the console (the app goes on without). */
  savedDataUnavailable: (error: unknown) => void;
}

export type SessionSlice = SessionState & SessionActions;

export const initialSession: SessionState = {
  started: false,
  loadTicket: 0,
  preferredValue: null,
  savedDataWarned: false,
};

export const started = (): Partial<SessionState> => ({ started: true });

export const preferValue = (id: string | null): Partial<SessionState> => ({ preferredValue: id });

export const savedDataWarned = (s: SessionState): Partial<SessionState> =>
  s.savedDataWarned ? {} : { savedDataWarned: true };

export function sessionSlice(set: SetState<SessionSlice>, get: GetState<SessionSlice>): SessionSlice {
  return {
    ...initialSession,
    startOnce: () => {
      if (get().started) return false;
      apply(set, started);
      return true;
    },
    preferValue: (id) => apply(set, () => preferValue(id)),
    savedDataUnavailable: (error) => {
      if (get().savedDataWarned) return;
      console.warn('ToPT Studio: saved data unavailable, the session will not survive a reload:', error);
      apply(set, savedDataWarned);
    },
  };
}
