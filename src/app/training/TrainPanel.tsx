import { useEffect, useRef } from 'react';
import type { TrainSettings } from '../../core/pipeline/settings';
import { training } from '../session/controllers';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';
import { carriedOverSettings, isRunning } from '../state/training';
import { trainEstimateText } from './estimate';
import { LossChart } from './LossChart';
import { TrainProgress } from './TrainProgress';
import { TrainResults } from './TrainResults';
import { TrainSettingsForm } from './TrainSettings';
import { useFocusKeptIn } from '../ui/focus';
import { likelyBackend, whenDrawnAndIdle } from './warm';
import { trainingMilestone } from './milestones';

/** Train SREL on the current city, watch it learn, see held-out accuracy and export. */
export function TrainPanel({ loaded }: { loaded: LoadedCity }) {
  const t = useApp((s) => (s.training?.loadId === loaded.loadId ? s.training : null));
  const running = t !== null && isRunning(t);
  const interrupted = useApp((s) => s.interrupted);
  const stoppedRun = useApp((s) => s.stoppedRun);
  const dismissStoppedRun = useApp((s) => s.dismissStoppedRun);
  const updateSettings = useApp((s) => s.updateTrainSettings);
  const settings = useApp((s) => s.trainSettings);
  const remembered = useApp((s) => s.backendChoice);
  const cityName = loaded.city.metadata.name;
  const carried = useApp((s) => carriedOverSettings(s, cityName));
  const resetSettings = useApp((s) => s.resetTrainSettings);
  const { poi, landUse, trips } = loaded.city.views;
  const lacking = [!poi && 'POI counts', !landUse && 'land use', !trips && 'trips'].filter(Boolean);
  const missing = lacking.length ? lacking.join(', no ') : null;
  // Once the map is drawn and the page idle, the worker gets ready for the next Train (again
  // after a run ends or is cancelled, and for another backend when the settings change).
  const warmFor = likelyBackend(settings.backend, remembered);
  const trainable = !running && missing === null;
  /** Train the interrupted run again with its settings: from its checkpoint, or from epoch 0. */
  const trainInterrupted = (saved: TrainSettings, resume: boolean): void => {
    updateSettings(saved, cityName);
    void training.start({ resume });
  };
  // Train, Pause, Resume and Cancel replace each other: the focus stays on the one in its place.
  const buttons = useRef<HTMLDivElement>(null);
  useFocusKeptIn(buttons);
  useEffect(() => {
    if (!trainable) return;
    return whenDrawnAndIdle(
      () => useApp.getState().mapView?.ready() ?? false,
      () => void training.warm(),
    );
  }, [trainable, warmFor, loaded.loadId]);
  return (
    <section className="card train" aria-labelledby="train-title">
      <h2 id="train-title">Train SREL</h2>
      <p className="hint">
        Learns one embedding per region from its POIs, land use and trips, then predicts each task with ridge
        regression, scored on held-out regions.
      </p>
      {interrupted && !running && (
        <div className="notice" role="alert" data-testid="interrupted-run">
          <p>
            A training run ({interrupted.epochsDone} of {interrupted.epochs} epochs) was interrupted by a
            reload.{' '}
            {interrupted.checkpointEpoch !== undefined
              ? `Its checkpoint after epoch ${interrupted.checkpointEpoch} is kept in this browser. `
              : 'No checkpoint was kept yet: it can only start over. '}
            {t?.status === 'done' ? 'The results below are from the last finished run.' : ''}
          </p>
          {interrupted.checkpointEpoch !== undefined && (
            <>
              <button type="button" onClick={() => trainInterrupted(interrupted.settings, true)}>
                Resume from epoch {interrupted.checkpointEpoch + 1}
              </button>{' '}
            </>
          )}
          <button type="button" onClick={() => trainInterrupted(interrupted.settings, false)}>
            Start over
          </button>{' '}
          <button type="button" onClick={() => void training.dismissInterrupted()}>
            Dismiss
          </button>
        </div>
      )}
      {stoppedRun && (
        <div className="notice" role="alert" data-testid="stopped-run">
          <p>
            Training on {stoppedRun.city} ({stoppedRun.epochsDone} of {stoppedRun.epochs} epochs) was stopped
            when {stoppedRun.opened} was opened: a run belongs to its city, and nothing of it was kept.
          </p>
          <button type="button" onClick={dismissStoppedRun}>
            Dismiss
          </button>
        </div>
      )}
      {missing && !running && (
        <p className="hint error" role="status" data-testid="train-needs-views">
          SREL needs POI counts, land use and trips: this city has no {missing}. Drop the raw layers (POI
          points, land-use points or polygons, trip records) on the page to fill them.
        </p>
      )}
      {carried && !running && (
        <div className="notice" role="status" data-testid="settings-carried-over">
          <p>Training settings carried over from another city. {carried}</p>
          <button type="button" onClick={() => resetSettings(cityName)}>
            Use the defaults
          </button>{' '}
          <button type="button" onClick={() => updateSettings({}, cityName)}>
            Keep them for {cityName}
          </button>
        </div>
      )}
      <TrainSettingsForm disabled={running} />
      {!running && !missing && (
        <p className="hint" data-testid="train-estimate">
          {trainEstimateText(loaded.city.regions.length, settings.epochs, settings.backend, remembered)}
        </p>
      )}
      <div className="train-buttons" ref={buttons} tabIndex={-1}>
        {!running && (
          <button
            type="button"
            className="primary"
            disabled={missing !== null}
            onClick={() => void training.start()}
          >
            {t?.status === 'done' ? 'Train again' : 'Train'}
          </button>
        )}
        {running && t.status === 'paused' && (
          <button type="button" onClick={training.resume}>
            Resume
          </button>
        )}
        {running && t.status === 'training' && (
          <button type="button" onClick={training.pause}>
            Pause
          </button>
        )}
        {running && (
          <button type="button" onClick={training.cancel} data-keep-focus-off>
            Cancel
          </button>
        )}
      </div>
      {/* Always on the page, so that its first milestone is spoken (a live region added with its text is not). */}
      <p className="visually-hidden" role="status" data-testid="train-announce">
        {t ? trainingMilestone(t) : ''}
      </p>
      {t && t.status !== 'failed' && <TrainProgress t={t} />}
      {t?.status === 'cancelled' && <p className="hint">Training cancelled; nothing was kept.</p>}
      {t?.keptAfterCancel && (
        <p className="hint" role="status" data-testid="train-kept">
          Training cancelled; the results below are from the previous run
          {t.saved ? ', still saved in this browser' : ''}.
        </p>
      )}
      {t?.status === 'failed' && (
        <p className="hint error" role="alert" data-testid="train-error">
          Training failed: {t.error}
        </p>
      )}
      {t && <LossChart history={t.history} epochs={t.epochs} />}
      {t && <TrainResults t={t} loaded={loaded} />}
    </section>
  );
}
