/// <reference lib="webworker" />
/**
 * Trains SREL on a city off the main thread and scores its tasks: the page sends the City,
 * its Tasks and the settings; everything the model needs is built here (core/pipeline
 * trainRun). 'auto' trains on the choice the page remembers, else measures the backends worth
 * measuring (not a software GPU: gpuDevices.ts says what the devices are). Pause holds the
 * loop between epochs; cancel stops it (nothing half-trained is kept); the page also ends the
 * worker on cancel, so a cancel during a long epoch acts at once.
 */
import './tfSetup';
import { BROWSER_BACKENDS } from '../core/backend';
import { trainRun } from '../core/pipeline/trainRun';
import { TrainingCancelled } from '../core/srel/train';
import { gpuDevices } from './gpuDevices';
import type { TrainingJobs } from './protocol';
import { serveJobs } from './serve';

serveJobs<TrainingJobs>(
  async ({ job, backend, remembered }, { emit, onControl }) => {
    const abort = new AbortController();
    let paused = false;
    let resume: (() => void) | null = null;
    onControl((control) => {
      if (control.type === 'pause') paused = true;
      else {
        if (control.type === 'cancel') abort.abort();
        paused = false;
        resume?.();
        resume = null;
      }
    });
    const run = await trainRun(job, {
      backend,
      available: BROWSER_BACKENDS,
      remembered,
      devices: gpuDevices,
      isolated: globalThis.crossOriginIsolated,
      signal: abort.signal,
      onEvent: emit,
      betweenEpochs: async (epoch) => {
        if (!paused) return;
        emit({ type: 'paused', epoch });
        await new Promise<void>((r) => (resume = r));
        if (!abort.signal.aborted) emit({ type: 'resumed' });
      },
    });
    // The page has the history from the epoch events; checkpoints are the benchmark's.
    const { backend: trainedOn, epochs, embedding, snapshots, d, reports, attention, model } = run;
    return { backend: trainedOn, epochs, embedding, snapshots, d, reports, attention, model };
  },
  { isCancellation: (e) => e instanceof TrainingCancelled },
);
