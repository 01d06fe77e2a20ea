import type { TrainingRun } from '../state/training';

/**
 * What the training's live region says: milestones only (started, each quarter of the epochs,
 * paused, cross-validating, finished, cancelled, failed), so a screen reader is not read the
 * epoch line that changes every second or so. The text changes only at a milestone, and a live
 * region speaks only when its text changes. The visible progress line still shows every epoch.
 */
export function trainingMilestone(t: Pick<TrainingRun, 'status' | 'epochs' | 'history'>): string {
  const done = t.history.length;
  switch (t.status) {
    case 'probing':
      return `Training started: ${t.epochs} epochs.`;
    case 'training': {
      const quarter = t.epochs > 0 ? Math.floor((4 * Math.min(done, t.epochs)) / t.epochs) : 0;
      return quarter === 0 ? `Training started: ${t.epochs} epochs.` : `Training ${25 * quarter}% done.`;
    }
    case 'paused':
      return `Training paused after epoch ${done} of ${t.epochs}.`;
    case 'evaluating':
      return 'Training 100% done; cross-validating the tasks.';
    case 'done':
      return 'Training finished: the results are below.';
    case 'cancelled':
      return 'Training cancelled.';
    case 'failed':
      return 'Training failed.';
  }
}
