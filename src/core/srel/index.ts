export { DEFAULT_SREL_CONFIG, resolveSrelConfig, type SrelConfig } from './config';
export { srelInputs, type SrelInputs, SrelInputError } from './inputs';
export { SrelModel, TrainingCancelled, snapshotEpochs, srelDims, type EpochReport } from './train';
export { saveSrel, loadSrel, type SavedSrel, type SrelManifest } from './serialize';
