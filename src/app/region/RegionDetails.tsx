import { Facts, type Fact } from './Facts';
import { formatNumber, regionSummary, topEntries } from './regionStats';
import type { LoadedCity } from '../state/city';
import { predictionGroup } from '../training/predictions';
import { useApp } from '../state/store';

/** The selected region: id, counts, top categories, description. */
export function RegionDetails({ loaded, index }: { loaded: LoadedCity; index: number }) {
  const select = useApp((s) => s.select);
  const result = useApp((s) => (s.training?.loadId === loaded.loadId ? s.training.result : null));
  const attention = result?.attention ?? null;
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
      {result && result.reports.length > 0 && (
        <div data-testid="region-predictions">
          <Breakdown
            title={predictionGroup(result.reports[0])}
            rows={result.reports.map((r) => {
              const labels = city.labels.find((l) => l.id === r.task);
              const actual = labels?.values[index] ?? NaN;
              const predicted = formatNumber(r.predicted[index]);
              return {
                label: labels?.name ?? r.task,
                value: r.heldOut[index]
                  ? `${predicted} (actual ${formatNumber(actual)}; held-out error ${r.predicted[index] - actual >= 0 ? '+' : '−'}${formatNumber(Math.abs(r.predicted[index] - actual))})`
                  : `${predicted} (no label: predicted from all labels)`,
              };
            })}
          />
        </div>
      )}
      {attention && (
        <div data-testid="region-attention">
          <Breakdown
            title={
              attention.received
                ? 'Looks at more than other regions do (SREL)'
                : 'Attends most to (SREL region fusion)'
            }
            rows={[
              ...Array.from({ length: Math.min(5, attention.k) }, (_, r) => {
                const j = attention.indices[index * attention.k + r];
                return {
                  label: city.regions[j]?.name ?? city.regions[j]?.id ?? String(j),
                  value: attentionText(attention.weights[index * attention.k + r], attention.received?.[j]),
                };
              }),
              { label: 'itself', value: `${(100 * attention.self[index]).toFixed(1)}%` },
            ]}
          />
          <p className="hint" data-testid="attention-hint">
            {attention.received
              ? 'Share of this region’s attention (averaged over heads and layers), and how many times the share the average region gives the same place; the regions where that ratio is largest are listed and drawn, thicker lines for larger ratios.'
              : 'Share of this region’s attention, averaged over heads and layers; lines on the map.'}
          </p>
        </div>
      )}
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

/** "1.6% · 2.4× usual": the share, and how it compares with what the average region gives. */
export function attentionText(weight: number, received: number | undefined): string {
  const share = `${(100 * weight).toFixed(1)}%`;
  return received && received > 0 ? `${share} · ${(weight / received).toFixed(1)}× usual` : share;
}
