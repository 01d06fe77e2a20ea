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
import { StorageAlert } from './StorageAlert';

export function SidePanel() {
  const current = useApp((s) => s.current);
  const selected = useApp((s) => s.selected);
  return (
    <aside className="side-panel" aria-label="City and region details">
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
            <RegionDetails loaded={current} index={selected} />
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
