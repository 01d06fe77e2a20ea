/// <reference lib="webworker" />
/**
 * Scores one task off the main thread (a user's task added after training, or a task predicted
 * again with LLM vectors): the raw-feature baseline and the prompt features are built here from
 * the City, and the task is scored with the city's own protocol, as after training. On 2,000
 * regions this takes seconds, which would freeze the map on the main thread.
 */
import { evaluateTask, evaluationContext } from '../core/pipeline/evaluate';
import { embeddingFeatures } from '../core/pipeline/inputs';
import type { EvaluationJobs } from './protocol';
import { serveJobs } from './serve';

serveJobs<EvaluationJobs>(({ city, task, embedding, d, snapshots, prompt }, { emit }) =>
  evaluateTask(evaluationContext(city), task, embeddingFeatures(embedding, d, snapshots), {
    ...(prompt ? { prompt } : {}),
    onProgress: (done, total) => emit({ done, total }),
  }),
);
