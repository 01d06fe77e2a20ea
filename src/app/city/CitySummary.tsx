import { zipCityBundle } from '../../core/city/bundle';
import { NO_VIEWS_YET } from '../../core/city/studyArea';
import { fileSlug } from '../../core/export/files';
import type { LoadedCity } from '../state/city';
import { download } from '../ui/download';

/** The city as a .zip bundle named after it (dropping it on the app opens it again). */
const exportBundle = (loaded: LoadedCity): void =>
  download({
    name: `${fileSlug(loaded.city.metadata.name)}.zip`,
    bytes: zipCityBundle(loaded.city),
    mime: 'application/zip',
  });

/** A city without any view (e.g. just tessellated) says what to drop on it next. */
export function NoViewsNotice({ loaded }: { loaded: LoadedCity }) {
  const { poi, landUse, trips } = loaded.city.views;
  if (poi || landUse || trips) return null;
  return (
    <p className="notice" role="status" data-testid="no-views">
      {loaded.city.metadata.name}: {NO_VIEWS_YET} (CSV or .csv.gz) on the page, or pick them with{' '}
      <em>Open files…</em>, to fill its POI counts and trip matrix.
    </p>
  );
}

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
      <button
        type="button"
        onClick={() => exportBundle(loaded)}
        title="The regions, views and labels as a .zip city bundle; drop it on the app to open it again"
      >
        Export city bundle
      </button>
    </section>
  );
}
