/// <reference lib="webworker" />
/**
 * Trains a small SREL for a few epochs on each requested backend and reports, per backend,
 * whether it works here and how fast it is. Runs off the main thread: WebGPU's first epoch
 * can spend many seconds compiling shaders.
 */
import './tfSetup';
import * as tf from '@tensorflow/tfjs';
import { PROBE_SREL_CONFIG } from '../core/srel/config';
import { useBackend } from '../core/backend';
import { SrelModel, srelDims } from '../core/srel/train';
import type { BackendCheckMessage, BackendCheckRequest, BackendCheckResult } from './protocol';

const post = (m: BackendCheckMessage): void => (self as DedicatedWorkerGlobalScope).postMessage(m);

async function checkOne(
  request: BackendCheckRequest,
  backend: BackendCheckResult['backend'],
): Promise<BackendCheckResult> {
  try {
    await useBackend([backend]);
  } catch (e) {
    return { backend, status: 'unavailable', reason: e instanceof Error ? e.message : String(e) };
  }
  const model = new SrelModel(PROBE_SREL_CONFIG, srelDims(request.inputs));
  try {
    const history = await model.train(request.inputs, { epochs: request.epochs });
    const later = history.slice(1);
    const finalLoss = history[history.length - 1].loss;
    if (!Number.isFinite(finalLoss)) return { backend, status: 'failed', reason: `loss is ${finalLoss}` };
    return {
      backend,
      status: 'ok',
      firstEpochSeconds: history[0].seconds,
      secondsPerEpoch: later.length
        ? later.reduce((a, r) => a + r.seconds, 0) / later.length
        : history[0].seconds,
      finalLoss,
      parts: [
        history[history.length - 1].mobility,
        history[history.length - 1].poi,
        history[history.length - 1].landUse,
      ],
    };
  } catch (e) {
    return { backend, status: 'failed', reason: e instanceof Error ? e.message : String(e) };
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}

self.onmessage = async (event: MessageEvent<BackendCheckRequest>) => {
  const request = event.data;
  if (request.type !== 'check-backends') return;
  for (const backend of request.backends) {
    post({ type: 'backend-started', backend });
    post({ type: 'backend-result', result: await checkOne(request, backend) });
  }
  post({ type: 'done' });
};
