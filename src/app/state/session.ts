/**
 * The session slice: what the app keeps between calls for the whole page's life (once module
 * variables): whether it has started, the ticket of the latest load (a load that finishes
 * after a newer one began is dropped), the value to show once a restored run's predictions
 * exist, whether the console was told that saved data is unavailable, and what the browser
 * refused to save (shown to the user at once, with a download).
 */
import { apply, type GetState, type SetState } from './slice';

export interface SessionState {
  /** startApp ran (React runs effects twice in development). */
  started: boolean;
  /** Bumped by every load that begins; a load whose ticket is no longer this one is dropped. */
  loadTicket: number;
  /** A value to show once a restored run's predictions exist (from a link or the saved session). */
  preferredValue: string | null;
  /**
   * The value a link or the saved session asked for that needs a run this browser does not
   * have (e.g. `predicted:crime`), and the value shown instead; told on the map until then.
   */
  waitingValue: { id: string; instead: string } | null;
  /** The console was told once that IndexedDB is unavailable (every later failure is silent). */
  savedDataWarned: boolean;
  /** What the browser refused to save since the user last dismissed it; null when nothing. */
  storageFailure: StorageFailure | null;
}

/** Saving failed (IndexedDB refused a write, e.g. its quota is full). */
export interface StorageFailure {
  /** What was not saved, in words ("the trained run of Riverton"), each once, oldest first. */
  what: string[];
  /** Why, in words ("the browser's storage is full (QuotaExceededError)"). */
  reason: string;
}

export interface SessionActions {
  /** Marks the app started; false when it already was. */
  startOnce: () => boolean;
  preferValue: (id: string | null) => void;
  /** The city shown has no saved run: the value asked for, if the city lacks it, waits. */
  noSavedRun: () => void;
  dismissWaitingValue: () => void;
  /**
   * Saving or reading failed: say so once, on the console (the app goes on without); a failed
   * save (`notSaved`: what it was) is also told to the user at once.
   */
  savedDataUnavailable: (error: unknown, notSaved?: string) => void;
  dismissStorageFailure: () => void;
}

export type SessionSlice = SessionState & SessionActions;

export const initialSession: SessionState = {
  started: false,
  loadTicket: 0,
  preferredValue: null,
  waitingValue: null,
  savedDataWarned: false,
  storageFailure: null,
};

export const started = (): Partial<SessionState> => ({ started: true });

export const preferValue = (id: string | null): Partial<SessionState> => ({ preferredValue: id });

/** What noSavedRun reads of the city slice (city.ts imports this file, not the other way). */
interface ShownValues {
  current: { options: { id: string }[] } | null;
  valueId: string;
}

/**
 * No saved run came back for the city shown: the value asked for waits (with the value shown
 * instead) when the city lacks it; otherwise nothing waits.
 */
export function noSavedRun(s: Pick<SessionState, 'preferredValue'> & ShownValues): Partial<SessionState> {
  const id = s.preferredValue;
  const waits = id !== null && !!s.current && !s.current.options.some((o) => o.id === id);
  return { waitingValue: waits ? { id, instead: s.valueId } : null };
}

export const savedDataWarned = (s: SessionState): Partial<SessionState> =>
  s.savedDataWarned ? {} : { savedDataWarned: true };

/** Why storage failed, in words: a full quota said plainly, anything else by its name and message. */
export function storageReason(error: unknown): string {
  const e =
    typeof error === 'object' && error !== null ? (error as { name?: unknown; message?: unknown }) : {};
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'QuotaExceededError')
    return "the browser's storage for this site is full (QuotaExceededError)";
  const message = typeof e.message === 'string' ? e.message : String(error);
  return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message;
}

/** `what` was not saved: it joins the failure shown (once), with the latest reason. */
export const storageFailed =
  (what: string, reason: string) =>
  (s: Pick<SessionState, 'storageFailure'>): Partial<SessionState> => {
    const before = s.storageFailure;
    if (before && before.what.includes(what) && before.reason === reason) return {};
    const list = before ? before.what.filter((w) => w !== what) : [];
    return { storageFailure: { what: [...list, what], reason } };
  };

export function sessionSlice(
  set: SetState<SessionSlice>,
  get: GetState<SessionSlice & ShownValues>,
): SessionSlice {
  return {
    ...initialSession,
    startOnce: () => {
      if (get().started) return false;
      apply(set, started);
      return true;
    },
    preferValue: (id) => apply(set, () => preferValue(id)),
    noSavedRun: () => {
      const { current, valueId } = get();
      apply(set, (s) => noSavedRun({ preferredValue: s.preferredValue, current, valueId }));
    },
    dismissWaitingValue: () => apply(set, () => ({ waitingValue: null })),
    savedDataUnavailable: (error, notSaved) => {
      if (notSaved !== undefined) apply(set, storageFailed(notSaved, storageReason(error)));
      if (get().savedDataWarned) return;
      console.warn('ToPT Studio: saved data unavailable, the session will not survive a reload:', error);
      apply(set, savedDataWarned);
    },
    dismissStorageFailure: () => apply(set, () => ({ storageFailure: null })),
  };
}
