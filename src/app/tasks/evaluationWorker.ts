/**
 * Score one task in a Web Worker (src/workers/evaluate.worker.ts): the page stays responsive
 * while ridge runs over ten snapshots and every fold; the worker builds the raw features and
 * prompt features from the City and scores with its protocol.
 */
import type { TaskReport } from '../../core/eval/taskReport';
import { WorkerClient } from '../../workers/client';
import type { EvaluationJobs } from '../../workers/protocol';

export async function evaluateTaskInWorker(
  request: EvaluationJobs['request'],
  onProgress: (done: number, total: number) => void,
): Promise<TaskReport> {
  const client = new WorkerClient<EvaluationJobs>(
    () => new Worker(new URL('../../workers/evaluate.worker.ts', import.meta.url), { type: 'module' }),
    'the evaluation worker',
  );
  try {
    return await client.run(request, { onEvent: (e) => onProgress(e.done, e.total) }).result;
  } finally {
    client.close();
  }
}
