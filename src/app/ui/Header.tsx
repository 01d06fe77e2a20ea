import { useApp } from '../state/store';
import { CityPicker } from '../city/CityPicker';
import { SettingsPanel } from './SettingsPanel';

export function Header() {
  const open = useApp((s) => s.settingsOpen);
  const setOpen = useApp((s) => s.setSettingsOpen);
  return (
    <header className="header">
      <h1 className="brand">
        ToPT Studio<span className="tagline">urban region embeddings in your browser</span>
      </h1>
      <CityPicker />
      <div className="settings-anchor">
        <button
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
