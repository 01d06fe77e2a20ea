/**
 * How a slice of the store is made: its actions get zustand's `set` and `get` over the whole
 * store, typed by the part the slice reads and writes, and change it only through pure
 * updaters `(state, ...args) => Partial<state>`.
 */

export type SetState<S> = (update: Partial<S> | ((state: S) => Partial<S>)) => void;
export type GetState<S> = () => S;

/**
 * Apply a pure updater. One that changes nothing (`{}`) leaves the state object as it was, so
 * no component re-renders and no subscriber hears of it.
 */
export function apply<S>(set: SetState<S>, updater: (state: S) => Partial<S>): void {
  set((state) => {
    const patch = updater(state);
    return Object.keys(patch).length === 0 ? state : patch;
  });
}
