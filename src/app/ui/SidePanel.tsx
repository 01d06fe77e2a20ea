import { useEffect, useRef } from 'react';
import { useApp } from '../state/store';
import { CitySummary, NoViewsNotice } from '../city/CitySummary';
import { CategoryMappingPanel, ImportProgressBar } from '../city/ImportPanel';
import { MappingPanel } from '../city/MappingPanel';
import { NewCityPanel } from '../city/NewCityPanel';
import { ProblemReport } from '../city/ProblemReport';
import { RegionDetails } from '../region/RegionDetails';
import { RegionFinder } from '../region/RegionFinder';
import { TaskPanel } from '../tasks/TaskPanel';
import { TrainPanel } from '../training/TrainPanel';
import { ValuePicker } from '../map/ValuePicker';
import { LayerTest } from '../diagnostics/LayerTest';
import { outOfView } from './scroll';
import { StorageAlert } from './StorageAlert';

export function SidePanel() {
  const current = useApp((s) => s.current);
  const selected = useApp((s) => s.selected);
  const panel = useRef<HTMLElement>(null);
  const details = useRef<HTMLDivElement>(null);
  // A region selected (on the map, the finder or a link): its details come into view, e.g.
  // after training, when the panel is scrolled down to the results.
  useEffect(() => {
    const card = details.current;
    if (selected === null || !panel.current || !card) return;
    if (outOfView(card.getBoundingClientRect(), panel.current.getBoundingClientRect()))
      card.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [selected]);
  return (
    <aside className="side-panel" aria-label="City and region details" ref={panel}>
      <StorageAlert />
      <ProblemReport />
      <MappingPanel />
      <CategoryMappingPanel />
      <ImportProgressBar />
      <NewCityPanel />
      {current && (
        <>
          <NoViewsNotice loaded={current} />
          <section className="card controls">
            <ValuePicker loaded={current} />
            <LayerTest />
            <RegionFinder loaded={current} />
          </section>
          {/* A clicked region's details come first, where the eye goes after the click. */}
          {selected !== null ? (
            <div ref={details} className="region-details-anchor">
              <RegionDetails loaded={current} index={selected} />
            </div>
          ) : (
            <p className="hint">Hover a region to see its counts; click it to see its details here.</p>
          )}
          <TrainPanel loaded={current} />
          <TaskPanel loaded={current} />
          <CitySummary loaded={current} />
        </>
      )}
    </aside>
  );
}
