import { useLayoutEffect, useRef } from 'react';
import { useApp } from '../state/store';
import { CityPicker } from '../city/CityPicker';
import { SettingsPanel } from './SettingsPanel';

export function Header() {
  const open = useApp((s) => s.settingsOpen);
  const setOpen = useApp((s) => s.setSettingsOpen);
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  // Escape closes the settings with the focus inside them: it goes back to the Settings button
  // rather than to the page body (focus elsewhere on the page stays where it is).
  useLayoutEffect(() => {
    const closed = wasOpen.current && !open;
    wasOpen.current = open;
    const active = document.activeElement;
    if (closed && (!active || active === document.body)) button.current?.focus();
  }, [open]);
  return (
    <header className="header">
      <h1 className="brand">
        ToPT Studio<span className="tagline">urban region embeddings in your browser</span>
      </h1>
      <CityPicker />
      <div className="settings-anchor">
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls="settings-panel"
          onClick={() => setOpen(!open)}
        >
          Settings
        </button>
        {open && (
          <div id="settings-panel">
            <SettingsPanel />
          </div>
        )}
      </div>
    </header>
  );
}
