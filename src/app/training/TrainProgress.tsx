import { useApp } from '../state/store';
import {
  evaluationFraction,
  evaluationSecondsLeft,
  trainingSecondsLeft,
  type TrainingRun,
} from '../state/training';
import { aboutLeft, clock } from '../ui/timeLeft';
import { BACKEND_NAMES } from './backendNames';

/** The run's progress line: the backend being chosen, the epochs and time, or the evaluation. */
function progressLine(t: TrainingRun, taskName: (id: string) => string): string {
  if (t.status === 'probing')
    return t.probing
      ? `Choosing a backend: trying ${BACKEND_NAMES[t.probing]}…`
      : 'Starting the training worker…';
  const e = t.evaluation;
  if (t.status === 'evaluating')
    return e
      ? `Cross-validating the tasks: ${taskName(e.task)} (${e.taskIndex + 1} of ${e.tasks})${aboutLeft(evaluationSecondsLeft(e))}`
      : 'Cross-validating the tasks…';
  const done = t.history.length;
  const elapsed = t.history[done - 1]?.elapsedSeconds ?? 0;
  const left = t.status === 'done' ? null : trainingSecondsLeft(t);
  return `Epoch ${done} of ${t.epochs} · ${clock(elapsed)} elapsed${aboutLeft(left)}${t.status === 'paused' ? ' · paused' : ''}`;
}

/** WebAssembly's threads, and whether the page is cross-origin isolated (threads need it). */
function threadsNote(t: TrainingRun): string {
  if (t.threads === null) return '';
  const threads = `${t.threads} thread${t.threads === 1 ? '' : 's'}`;
  if (t.isolated === null) return ` · ${threads}`;
  return ` · ${threads}, ${t.isolated ? 'cross-origin isolated' : 'the page is not cross-origin isolated'}`;
}

/** How far the run is: a bar and a line (epochs and time, or the evaluation), the backend, notices. */
export function TrainProgress({ t }: { t: TrainingRun }) {
  const labels = useApp((st) => st.current?.city.labels);
  const done = t.history.length;
  const line = progressLine(t, (id) => labels?.find((l) => l.id === id)?.name ?? id);
  return (
    <div className="train-progress">
      {t.status === 'evaluating' && t.evaluation ? (
        <progress max={1} value={evaluationFraction(t.evaluation)} aria-label="Evaluation progress" />
      ) : (
        <progress
          max={t.epochs}
          value={t.status === 'probing' ? undefined : done}
          aria-label="Training progress"
        />
      )}
      {/* Not a live region: it changes every epoch. The Train card's live region says the milestones. */}
      <p data-testid="train-progress">{line}</p>
      {t.startedFrom && (
        <p className="hint" data-testid="train-start">
          Started {t.startedFrom}.
        </p>
      )}
      {t.status === 'done' && (
        <p className="hint" data-testid="train-saved">
          {t.saved
            ? 'Saved in this browser: a reload brings this run back.'
            : t.saveFailed
              ? 'Not saved: this browser refused to store this run, so a reload will lose it. Download its files below to keep them.'
              : 'Saving…'}
        </p>
      )}
      {t.backend && (
        <p className="hint" data-testid="train-backend">
          Backend: {BACKEND_NAMES[t.backend]} ({t.backendReason}){threadsNote(t)}
        </p>
      )}
      {t.backend &&
        t.backendNotes.map((n) => (
          <p key={n} className="hint" data-testid="train-backend-note">
            {n}
          </p>
        ))}
      {t.notices.map((n) => (
        <p key={n} className="hint error" role="alert">
          {n}
        </p>
      ))}
    </div>
  );
}
