import { Facts, type Fact } from './Facts';
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
      <Facts
        rows={
          area !== undefined && Number.isFinite(area)
            ? [...rows, { label: 'Area', value: `${area.toFixed(2)} km²` }]
            : rows
        }
      />
      {topPoi.length > 0 && <Breakdown title="Most POIs" rows={topPoi} />}
      {topLand.length > 0 && <Breakdown title="Main land use" rows={topLand} />}
      {region.description && <p className="description">{region.description}</p>}
      <button type="button" onClick={() => select(null)}>
        Clear selection <kbd>Esc</kbd>
      </button>
    </section>
  );
}

function Breakdown({ title, rows }: { title: string; rows: Fact[] }) {
  return (
    <>
      <h3>{title}</h3>
      <Facts rows={rows} compact />
    </>
  );
}
