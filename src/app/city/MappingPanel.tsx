import { useState } from 'react';
import type { PropertyRole } from '../../core/city/geojson';
import type { PendingMapping } from '../state/importing';
import { cities } from '../session/controllers';
import { useApp } from '../state/store';

const ROLE_LABELS: Record<PropertyRole, string> = {
  poi: 'POI count',
  landUse: 'Land use',
  label: 'Task label',
  ignore: 'Ignore',
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Asks what the numeric properties of a dropped GeoJSON are before the city is built. */
export function MappingPanel() {
  const pending = useApp((s) => s.pendingMapping);
  if (!pending) return null;
  // A new file resets the choices.
  return <MappingForm key={`${pending.fileName}-${pending.bytes.length}`} pending={pending} />;
}

function MappingForm({ pending }: { pending: PendingMapping }) {
  const [roles, setRoles] = useState(pending.roles);
  const cancel = useApp((s) => s.setPendingMapping);
  const current = useApp((s) => s.current);
  const counts = Object.values(roles).reduce<Record<string, number>>(
    (acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }),
    {},
  );
  return (
    <section className="card mapping" aria-labelledby="mapping-title" data-testid="mapping">
      <h2 id="mapping-title">What is in {pending.fileName}?</h2>
      <p className="hint">
        Its regions carry {pending.properties.length} numeric properties. Say what each one is; the suggestion
        comes from their names.
        {current ? ` ${current.city.metadata.name} stays open until you build the new city.` : ''}
      </p>
      <table className="mapping-table">
        <thead>
          <tr>
            <th scope="col">Property</th>
            <th scope="col">Examples</th>
            <th scope="col">Use as</th>
          </tr>
        </thead>
        <tbody>
          {pending.properties.map((p) => (
            <tr key={p.name}>
              <td>{p.name}</td>
              <td className="examples">
                {p.examples.join(', ')}
                {p.firstNotNumeric && (
                  <span className="warning" data-testid="not-numeric">
                    {' '}
                    ({plural(p.present - p.numeric, 'value')} of {p.present} not numbers; first:{' '}
                    {p.firstNotNumeric})
                  </span>
                )}
              </td>
              <td>
                <select
                  aria-label={`Use ${p.name} as`}
                  value={roles[p.name] ?? 'ignore'}
                  onChange={(e) => setRoles({ ...roles, [p.name]: e.target.value as PropertyRole })}
                >
                  {(Object.keys(ROLE_LABELS) as PropertyRole[]).map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        {plural(counts.poi ?? 0, 'POI column')}, {plural(counts.landUse ?? 0, 'land-use column')},{' '}
        {plural(counts.label ?? 0, 'task label')}.
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => void cities.buildMappedCity(pending.fileName, pending.bytes, roles)}
        >
          Build city
        </button>
        <button type="button" onClick={() => cancel(null)}>
          Cancel
        </button>
      </div>
    </section>
  );
}
