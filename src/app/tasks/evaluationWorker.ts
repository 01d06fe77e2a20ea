/**
 * Score one task in a Web Worker (src/workers/evaluate.worker.ts): the page stays responsive
 * while ridge runs over ten snapshots and every fold; the worker builds the raw features and
 * prompt features from the City and scores with its protocol. Each task gets a worker of its
 * own, ended with it (two tasks may be scored at once).
 */
import type { TaskReport } from '../../core/eval/taskReport';
import { WorkerClient, type WorkerLike } from '../../workers/client';
import type { EvaluationJobs } from '../../workers/protocol';

const evaluationWorker = (): WorkerLike =>
  new Worker(new URL('../../workers/evaluate.worker.ts', import.meta.url), { type: 'module' });

export type EvaluateTask = (
  request: EvaluationJobs['request'],
  onProgress: (done: number, total: number) => void,
) => Promise<TaskReport>;

/** Scores tasks, each in a fresh worker made by `create`. */
export function taskEvaluator(create: () => WorkerLike = evaluationWorker): EvaluateTask {
  return async (request, onProgress) => {
    const client = new WorkerClient<EvaluationJobs>(create, 'the evaluation worker');
    try {
      return await client.run(request, { onEvent: (e) => onProgress(e.done, e.total) }).result;
    } finally {
      client.close();
    }
  };
}
