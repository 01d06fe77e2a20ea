import { useApp } from '../store';
import { CitySummary, NoViewsNotice } from './CitySummary';
import { CategoryMappingPanel, ImportProgressBar } from './ImportPanel';
import { MappingPanel } from './MappingPanel';
import { NewCityPanel } from './NewCityPanel';
import { ProblemReport } from './ProblemReport';
import { RegionDetails } from './RegionDetails';
import { RegionFinder } from './RegionFinder';
import { TaskPanel } from './TaskPanel';
import { TrainPanel } from './TrainPanel';
import { ValuePicker } from './ValuePicker';

export function SidePanel() {
  const current = useApp((s) => s.current);
  const selected = useApp((s) => s.selected);
  return (
    <aside className="side-panel" aria-label="City and region details">
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
