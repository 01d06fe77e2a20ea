/**
 * Cross-validate one task in a Web Worker (src/workers/evaluate.worker.ts): the page stays
 * responsive while ridge runs over ten snapshots and every fold.
 */
import type { TaskReport } from '../core/eval/taskReport';
import type { EvaluateMessage, EvaluateRequest } from '../workers/protocol';

export function evaluateTaskInWorker(
  request: Omit<EvaluateRequest, 'type'>,
  onProgress: (done: number, total: number) => void,
): Promise<TaskReport> {
  const worker = new Worker(new URL('../workers/evaluate.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<TaskReport>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<EvaluateMessage>) => {
      const m = e.data;
      if (m.type === 'progress') onProgress(m.done, m.total);
      else {
        worker.terminate();
        if (m.type === 'report') resolve(m.report);
        else reject(new Error(m.message));
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'the evaluation worker failed to start'));
    };
    worker.postMessage({ type: 'evaluate', ...request } satisfies EvaluateRequest);
  });
}
