/// <reference lib="webworker" />
/**
 * Cross-validates one task off the main thread (a custom task added after training): ridge on
 * the embedding's snapshots and on the raw features, alpha chosen on inner folds, as the
 * training worker does for the city's own tasks. On 2,000 regions this takes seconds, which
 * would freeze the map on the main thread.
 */
import { taskReport } from '../core/eval/taskReport';
import type { EvaluateMessage, EvaluateRequest } from './protocol';

const post = (m: EvaluateMessage): void => (self as DedicatedWorkerGlobalScope).postMessage(m);

self.onmessage = (e: MessageEvent<EvaluateRequest>): void => {
  const { task, values, embedding, raw, cityKey, prompt } = e.data;
  try {
    const report = taskReport(task, values, embedding, raw, {
      cityKey,
      prompt: prompt ?? undefined,
      onProgress: (done, total) => post({ type: 'progress', done, total }),
    });
    post({ type: 'report', report });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
