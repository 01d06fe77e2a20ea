import { regionSummary, topEntries } from '../regionStats';
import { useApp, type LoadedCity } from '../store';

/** The selected region: id, counts, top categories, description. */
export function RegionDetails({ loaded, index }: { loaded: LoadedCity; index: number }) {
  const select = useApp((s) => s.select);
  const { city, stats } = loaded;
  const region = city.regions[index];
  if (!region) return null;
  const rows = regionSummary(city, stats, index);
  const area = stats.areaKm2?.[index];
  const topPoi = city.views.poi ? topEntries(city.views.poi, city.views.poiCategories, index, 5) : [];
  const topLand = city.views.landUse
    ? topEntries(city.views.landUse, city.views.landUseClasses, index, 3)
    : [];
  return (
    <section className="card selected-region" aria-labelledby="region-title" data-testid="region-details">
      <h2 id="region-title">{region.name}</h2>
      <p className="muted">
        id <span data-testid="selected-region-id">{region.id}</span> · row {index}
      </p>
      <dl className="facts">
        {rows.map((r) => (
          <div key={r.label}>
            <dt>{r.label}</dt>
            <dd>{r.value}</dd>
          </div>
        ))}
        {area !== undefined && Number.isFinite(area) && (
          <div>
            <dt>Area</dt>
            <dd>{area.toFixed(2)} km²</dd>
          </div>
        )}
      </dl>
      {topPoi.length > 0 && <Breakdown title="Most POIs" rows={topPoi} />}
      {topLand.length > 0 && <Breakdown title="Main land use" rows={topLand} />}
      {region.description && <p className="description">{region.description}</p>}
      <button type="button" onClick={() => select(null)}>
        Clear selection <kbd>Esc</kbd>
      </button>
    </section>
  );
}

function Breakdown({ title, rows }: { title: string; rows: { label: string; value: string }[] }) {
  return (
    <>
      <h3>{title}</h3>
      <dl className="facts compact">
        {rows.map((r) => (
          <div key={r.label}>
            <dt>{r.label}</dt>
            <dd>{r.value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
