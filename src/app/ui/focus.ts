import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * Which control takes the focus when the focused one (at `lost` among its group) was replaced:
 * the control now at the same place (Train became Pause, Pause became Resume), else the nearest
 * one before it (Cancel went, Train again is left), skipping disabled ones; -1 when none is left.
 */
export function replacementIndex(lost: number, enabled: readonly boolean[]): number {
  const start = Math.min(Math.max(lost, 0), enabled.length - 1);
  for (let i = start; i >= 0; i--) if (enabled[i]) return i;
  for (let i = start + 1; i < enabled.length; i++) if (enabled[i]) return i;
  return -1;
}

/**
 * Keeps the keyboard focus in a group of buttons whose buttons replace each other (Train,
 * Pause, Resume, Cancel): when the focused button leaves the page, and the focus with it fell
 * to the page body, the button that replaced it takes the focus (see replacementIndex). A button
 * marked `data-keep-focus-off` (Cancel: a second Enter must not stop the run just started) is
 * never given the focus: with only such buttons left the group itself holds it (give it
 * tabIndex -1) until another appears. Call it in the component that renders the group; it
 * checks after every render of it.
 */
export function useFocusKeptIn(group: RefObject<HTMLElement | null>): void {
  const last = useRef<{ element: HTMLElement; index: number } | null>(null);
  useLayoutEffect(() => {
    const container = group.current;
    if (!container) return;
    const buttons = (): HTMLButtonElement[] => [...container.querySelectorAll('button')];
    const onFocusIn = (e: FocusEvent): void => {
      const element = e.target as HTMLElement;
      const index = buttons().indexOf(element as HTMLButtonElement);
      last.current = index >= 0 ? { element, index } : null;
    };
    container.addEventListener('focusin', onFocusIn);
    return () => container.removeEventListener('focusin', onFocusIn);
  }, [group]);
  useLayoutEffect(() => {
    const lost = last.current;
    const container = group.current;
    if (!container) return;
    // Parked on the group itself (only a button kept off the focus was left): the first
    // button that may take the focus takes it as soon as one appears.
    const parked = document.activeElement === container;
    if (!parked) {
      if (!lost || lost.element.isConnected) return;
      last.current = null;
      const active = document.activeElement;
      if (active && active !== document.body) return;
    }
    const now = [...container.querySelectorAll('button')];
    const i = replacementIndex(
      parked ? 0 : lost!.index,
      now.map((b) => !b.disabled && !b.hasAttribute('data-keep-focus-off')),
    );
    if (i >= 0) now[i].focus();
    else if (!parked) container.focus();
  });
}
