import { useEffect } from 'react';
import { DropOverlay } from './city/DropOverlay';
import { Header } from './ui/Header';
import { MapArea } from './map/MapArea';
import { SidePanel } from './ui/SidePanel';
import { useEscape, useFileDrop } from './ui/hooks';
import { cities, start } from './session/controllers';

const onFiles = (files: File[]): void => void cities.openFiles(files);

export function App() {
  useEffect(() => {
    void start();
  }, []);
  useEscape();
  const dragging = useFileDrop(onFiles);
  return (
    <div className="app">
      <Header />
      <main className="main">
        <MapArea />
        <SidePanel />
      </main>
      {dragging && <DropOverlay />}
    </div>
  );
}
