import { waitingNotice } from '../session/deepLink';
import { useColoring } from './coloring';
import { CityMap } from './CityMap';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';
import { Legend } from './Legend';
import { RegionTable } from '../region/RegionTable';
import { Tooltip } from './Tooltip';

function CityView({ loaded }: { loaded: LoadedCity }) {
  const coloring = useColoring(loaded);
  const n = loaded.city.regions.length;
  if (loaded.features.length === 0) {
    return (
      <div className="no-map">
        <p className="note" role="status" data-testid="no-geometry-note">
          This city has no boundaries: {n} regions listed without a map.
        </p>
        <Legend coloring={coloring} />
        <RegionTable loaded={loaded} coloring={coloring} />
      </div>
    );
  }
  return (
    <>
      <CityMap loaded={loaded} colors={coloring.colors} />
      <Tooltip loaded={loaded} />
      <div className="map-legend">
        <Legend coloring={coloring} />
      </div>
    </>
  );
}

/** A value a link (or the saved session) asked for that needs a run: said on the map, not dropped. */
function WaitingNotice() {
  const notice = useApp(waitingNotice);
  const dismiss = useApp((s) => s.dismissWaitingValue);
  if (!notice) return null;
  return (
    <div className="waiting-notice" role="status" data-testid="waiting-notice">
      <span>{notice}</span>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** The main area: the map of the current city, or a region list when it has no boundaries. */
export function MapArea() {
  const current = useApp((s) => s.current);
  const loading = useApp((s) => s.loading);
  return (
    <section className="map-area" aria-label="Map of regions" aria-busy={loading !== null}>
      {current ? (
        <CityView loaded={current} />
      ) : (
        <div className="placeholder">{loading ? 'Loading…' : 'No city loaded'}</div>
      )}
      {current && <WaitingNotice />}
      {current && loading && (
        <div className="loading-badge" role="status">
          Loading {loading}…
        </div>
      )}
    </section>
  );
}
