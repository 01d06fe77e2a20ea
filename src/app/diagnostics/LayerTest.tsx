import { useState } from 'react';
import type { WeightsKind } from '../../core/eval/spatialLag';
import { moranOf, patternSentence } from '../../core/spatial/moran';
import { testable } from '../map/layers';
import { diagnostics } from '../session/controllers';
import { useApp } from '../state/store';

type TestState =
  | { status: 'idle' }
  | { status: 'running'; label: string }
  | { status: 'done'; label: string; sentence: string; weights: string }
  | { status: 'failed'; message: string };

/**
 * "Is this layer clustered in space?": Moran's I of the values shown and their LISA map, as a
 * GeoDa user would run it, in a worker; the answer in words, the map switched to the clusters.
 */
export function LayerTest() {
  const valueId = useApp((s) => s.valueId);
  const label = useApp((s) => s.current?.options.find((o) => o.id === s.valueId)?.label ?? '');
  const loadId = useApp((s) => s.current?.loadId ?? null);
  const [weights, setWeights] = useState<WeightsKind>('nearest');
  const [test, setTest] = useState<{ loadId: string | null; state: TestState }>({
    loadId,
    state: { status: 'idle' },
  });
  // Another city: the last answer was about a layer of the old one.
  const state: TestState = test.loadId === loadId ? test.state : { status: 'idle' };
  const setState = (next: TestState): void => setTest({ loadId, state: next });
  const run = (): void => {
    setState({ status: 'running', label });
    diagnostics.testShownLayer(weights).then(
      (p) =>
        setState({
          status: 'done',
          label,
          sentence: patternSentence(moranOf(p), 'values'),
          weights: p.spatialWeights,
        }),
      (e: unknown) => setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
  };
  return (
    <div className="layer-test" data-testid="layer-test">
      {testable(valueId) && (
        <div className="layer-test-controls">
          <button type="button" onClick={run} disabled={state.status === 'running'}>
            {state.status === 'running' ? 'Testing…' : 'Is this layer clustered? (Moran’s I, LISA)'}
          </button>
          <label>
            Neighbours
            <select
              value={weights}
              onChange={(e) => setWeights(e.target.value as WeightsKind)}
              data-testid="layer-test-weights"
            >
              <option value="nearest">6 nearest regions</option>
              <option value="contiguity">shared borders (contiguity)</option>
            </select>
          </label>
        </div>
      )}
      {state.status === 'done' && (
        <p className="hint" role="status" data-testid="layer-test-result">
          {state.label}: {state.sentence} Spatial weights: {state.weights}.
        </p>
      )}
      {state.status === 'failed' && (
        <p className="hint error" role="alert">
          Could not test the layer: {state.message}.
        </p>
      )}
    </div>
  );
}
