import { zipCityBundle } from '../../core/city/bundle';
import { fileSlug } from '../../core/export/files';
import { useApp } from '../state/store';
import { download } from './download';

/**
 * The browser refused to save (IndexedDB write failed, e.g. its quota is full): what was not
 * saved, why, and a way to keep it (the city as a .zip; a run's files from the Train card).
 */
export function StorageAlert() {
  const failure = useApp((s) => s.storageFailure);
  const current = useApp((s) => s.current);
  const runNotSaved = useApp((s) => s.training?.saveFailed === true);
  const dismiss = useApp((s) => s.dismissStorageFailure);
  if (!failure) return null;
  return (
    <div className="notice error" role="alert" data-testid="storage-failure">
      <p>
        Not saved in this browser: {failure.what.join('; ')}. Reason: {failure.reason}. After a reload it will
        be gone; download what you want to keep.
        {runNotSaved && ' The trained run’s files are under Train SREL.'}
      </p>
      {current && (
        <button
          type="button"
          onClick={() =>
            download({
              name: `${fileSlug(current.city.metadata.name)}.zip`,
              bytes: zipCityBundle(current.city),
              mime: 'application/zip',
            })
          }
        >
          Download the city (.zip)
        </button>
      )}{' '}
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
