import { useEffect, useRef, useState } from 'react';
import type { BackendName } from '../../core/backend/names';
import type { BackendCheckResult } from '../../core/pipeline/backends';
import { runBackendCheck } from './backendCheck';
import { useApp } from '../state/store';

type Row = { backend: BackendName; result: BackendCheckResult | null };

const seconds = (s: number): string => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(1)} s`);

/**
 * Trains a small SREL on the current city with every TensorFlow.js backend the browser
 * offers (in a worker) and shows which ones work and how fast they are.
 */
export function BackendCheck() {
  const current = useApp((s) => s.current);
  const [rows, setRows] = useState<Row[]>([]);
  const [running, setRunning] = useState(false);
  const job = useRef<{ cancel: () => void } | null>(null);
  useEffect(() => () => job.current?.cancel(), []);
  const canRun = current?.city.views.poi && current.city.views.landUse && current.city.views.trips;

  const start = (): void => {
    if (!current) return;
    setRows([]);
    setRunning(true);
    job.current = runBackendCheck(
      current.city,
      (m) => {
        if (m.type === 'backend-started') setRows((r) => [...r, { backend: m.backend, result: null }]);
        else
          setRows((r) =>
            r.map((row) => (row.backend === m.result.backend ? { ...row, result: m.result } : row)),
          );
      },
      () => setRunning(false),
    );
  };

  return (
    <section className="backend-check" aria-labelledby="backend-check-title">
      <h2 id="backend-check-title">Compute backends</h2>
      <p className="hint">
        Trains a small SREL for a few epochs on {current ? current.city.metadata.name : 'the city'} with each
        TensorFlow.js backend, in the background.
      </p>
      <button type="button" onClick={start} disabled={running || !canRun}>
        {running ? 'Checking…' : 'Check backends'}
      </button>
      {!canRun && current && <p className="hint">This city lacks POI, land-use or trip data for SREL.</p>}
      {rows.length > 0 && (
        <table className="backend-table" data-testid="backend-results">
          <tbody>
            {rows.map(({ backend, result }) => (
              <tr key={backend} data-backend={backend} data-status={result?.status ?? 'running'}>
                <th scope="row">{backend}</th>
                <td>
                  {!result && 'running…'}
                  {result?.status === 'ok' &&
                    `works: ${seconds(result.secondsPerEpoch)} per epoch (first ${seconds(result.firstEpochSeconds)}), loss ${result.finalLoss.toPrecision(6)} (${result.parts.map((x) => x.toPrecision(4)).join(' + ')})`}
                  {result && result.status !== 'ok' && `${result.status}: ${result.reason}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
