/// <reference lib="webworker" />
/**
 * Trains SREL on a city off the main thread and scores its tasks: the page sends the City,
 * its Tasks and the settings; everything the model needs is built here (core/pipeline
 * trainRun). 'auto' trains on the choice the page remembers, else measures the backends worth
 * measuring (not a software GPU: gpuDevices.ts says what the devices are). Pause holds the
 * loop between epochs; cancel stops it (nothing half-trained is kept); checkpoints go to the page
 * every few epochs (a reload resumes from the last); the page also ends the
 * worker on cancel, so a cancel during a long epoch acts at once. A warm-up request (the page
 * is idle, the Train card shown) initialises a backend before any run is asked for.
 * Started under the name BACKEND_CHECK_WORKER, the same bundle runs the backend check instead.
 */
import './tfSetup';
import { BROWSER_BACKENDS, useBackend } from '../core/backend';
import { trainRun } from '../core/pipeline/trainRun';
import { practiceEpoch } from '../core/pipeline/warmUp';
import { TrainingCancelled } from '../core/srel/train';
import { gpuDevices } from './gpuDevices';
import { serveBackendCheck } from './backendCheck';
import { BACKEND_CHECK_WORKER, type TrainingJobs, type WarmRequest, type WarmedResult } from './protocol';
import { serveJobs } from './serve';

/**
 * This worker's warm-up, if one was asked for: a run waits for it, so that two backend
 * initialisations never overlap (a run then finds the backend ready).
 */
let warming: Promise<WarmedResult> | null = null;
/** A run was asked for: a warm-up still initialising its backend then skips its practice epoch. */
let runAsked = false;

async function warm({ warm: backend, config }: WarmRequest): Promise<WarmedResult> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  try {
    await useBackend([backend]);
    // The practice epoch pays the first epoch's one-time costs before the click; once a run
    // is waiting, the run pays them itself (practising first would only make it wait longer).
    if (!runAsked) await practiceEpoch(config);
    return { warmed: backend, seconds: seconds() };
  } catch (e) {
    return { warmed: backend, seconds: seconds(), error: e instanceof Error ? e.message : String(e) };
  }
}

const serveTraining = (): void =>
  serveJobs<TrainingJobs>(
    async (request, { emit, onControl }) => {
      if ('warm' in request) {
        warming = warm(request);
        return warming;
      }
      const { job, backend, remembered } = request;
      runAsked = true;
      await warming;
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
        checkpoints: true,
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

// One bundle serves both workers the page starts (see ./backendCheck.ts).
if (self.name === BACKEND_CHECK_WORKER) serveBackendCheck();
else serveTraining();
