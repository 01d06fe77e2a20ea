import type { LoadedCity } from '../store';

/** What the loaded city holds. */
export function CitySummary({ loaded }: { loaded: LoadedCity }) {
  const { city } = loaded;
  const { views, spatial } = city;
  const n = city.regions.length;
  const parts = [
    views.poi && `POIs (${views.poi.cols} categories)`,
    views.landUse && `land use (${views.landUse.cols} classes)`,
    views.trips && 'trips',
  ].filter(Boolean);
  return (
    <section className="card" aria-labelledby="city-title">
      <h2 id="city-title">{city.metadata.name}</h2>
      <p className="muted">
        <span data-testid="region-count">{n} regions</span> · {loaded.origin}
        {spatial.boundaries ? '' : ' · no boundaries'}
      </p>
      {city.metadata.description && <p className="description">{city.metadata.description}</p>}
      <dl className="facts">
        <div>
          <dt>Views</dt>
          <dd>{parts.length ? parts.join(', ') : 'none'}</dd>
        </div>
        <div>
          <dt>Task labels</dt>
          <dd>{city.labels.length ? city.labels.map((l) => l.name).join(', ') : 'none'}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{city.metadata.source}</dd>
        </div>
        <div>
          <dt>Licence</dt>
          <dd>{city.metadata.licence}</dd>
        </div>
      </dl>
    </section>
  );
}
