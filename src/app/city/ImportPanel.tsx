import { useEffect, useState } from 'react';
import { DROP, mappedTarget, newMapping, type CategoryMapping } from '../../core/city/layers/categoryMapping';
import { importFraction, importSecondsLeft, importStep, importTitle } from './importProgress';
import { cities } from '../session/controllers';
import type { PendingCategories } from '../state/importing';
import { useApp } from '../state/store';
import { aboutLeft } from '../ui/timeLeft';

/**
 * Before POI points are imported into a city that lacks some of their categories: where each
 * category goes (one of the city's categories, or dropped), filled in from this session's
 * earlier choices, the same name or the OpenStreetMap table; or keep the file's own categories.
 */
export function CategoryMappingPanel() {
  const pending = useApp((s) => s.pendingCategories);
  if (!pending) return null;
  // New files reset the choices.
  return (
    <CategoryMappingForm
      key={pending.files.map((f) => `${f.name}-${f.bytes.length}`).join()}
      pending={pending}
    />
  );
}

function CategoryMappingForm({ pending }: { pending: PendingCategories }) {
  const remembered = useApp((s) => s.categoryMapping);
  const cityName = useApp((s) => s.current?.city.metadata.name ?? 'the city');
  const [mapping, setMapping] = useState<CategoryMapping>(() => {
    const m = newMapping();
    for (const layer of pending.layers)
      for (const c of layer.choices)
        if (!c.sameName) m[c.name] = mappedTarget(remembered, c.name) ?? c.suggested ?? DROP;
    return m;
  });
  const [ownCategories, setOwnCategories] = useState(false);
  const targets = pending.layers[0]?.targets ?? [];
  const choices = pending.layers.flatMap((l) => l.choices);
  const toMap = choices.filter((c) => !c.sameName);
  const dropped = toMap
    .filter((c) => mappedTarget(mapping, c.name) === DROP)
    .reduce((a, c) => a + c.count, 0);
  const total = choices.reduce((a, c) => a + c.count, 0);
  return (
    <section
      className="card mapping category-mapping"
      aria-labelledby="categories-title"
      data-testid="category-mapping"
    >
      <h2 id="categories-title">POI categories of {pending.layers.map((l) => l.file).join(', ')}</h2>
      <p className="hint">
        {toMap.length} of its {choices.length} categories are not among {cityName}&apos;s {targets.length} POI
        categories. Choose what each counts as; the suggestion comes from the same name or the OpenStreetMap
        tag table, and your choices are kept for this session.
      </p>
      <label className="inline">
        <input type="checkbox" checked={ownCategories} onChange={(e) => setOwnCategories(e.target.checked)} />
        Keep the file&apos;s own {choices.length} categories instead (they replace the city&apos;s)
      </label>
      {!ownCategories && (
        <table className="mapping-table">
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Points</th>
              <th scope="col">Count as</th>
            </tr>
          </thead>
          <tbody>
            {toMap.map((c) => (
              <tr key={c.name}>
                <td>
                  {/* "amenity=restaurant" may wrap after its "=". */}
                  {c.name.includes('=') ? (
                    <>
                      {c.name.slice(0, c.name.indexOf('=') + 1)}
                      <wbr />
                      {c.name.slice(c.name.indexOf('=') + 1)}
                    </>
                  ) : (
                    c.name
                  )}
                </td>
                <td className="examples">{c.count.toLocaleString('en-US')}</td>
                <td>
                  <select
                    aria-label={`Count ${c.name} as`}
                    value={mappedTarget(mapping, c.name) ?? DROP}
                    onChange={(e) => setMapping(newMapping(mapping, { [c.name]: e.target.value }))}
                  >
                    {targets.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                    <option value={DROP}>Drop these points</option>
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint" data-testid="category-summary">
        {ownCategories
          ? `${total.toLocaleString('en-US')} points in ${choices.length} categories of their own.`
          : `${(total - dropped).toLocaleString('en-US')} points counted, ${dropped.toLocaleString('en-US')} dropped; ${choices.length - toMap.length} ${choices.length - toMap.length === 1 ? 'category matches' : 'categories match'} by name.`}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => void cities.importWithCategories(ownCategories ? {} : mapping, ownCategories)}
        >
          Import
        </button>
        <button type="button" onClick={cities.cancelCategories}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/** The progress of an import of raw layers (or of reading regions): a bar, the file and step, and the time left. */
export function ImportProgressBar() {
  const progress = useApp((s) => s.importProgress);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!progress) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [progress]);
  if (!progress) return null;
  const left = importSecondsLeft(progress, Math.max(now, progress.startedAt));
  return (
    <section className="card train-progress" aria-label="Import progress" data-testid="import-progress">
      <progress max={1} value={importFraction(progress)} aria-label="Import progress" />
      <p role="status">
        {importTitle(progress)}: {importStep(progress)}
        {aboutLeft(left)}
      </p>
    </section>
  );
}
