/**
 * Every raw layer a city's views can be rebuilt from, and the importer of each: one table
 * the import worker and the CLI share. Each importer is all or nothing: the city with the
 * layer's view replaced and a report, or one error and nothing changed.
 */
import { importLandUsePoints, importLandUsePolygons } from './landUse';
import { importIncidentLabels, importPoiPoints, type LayerOptions, type PointImport } from './pointsCsv';
import type { RawLayerKind } from './rawLayerFiles';
import { importTaskLabelsCsv } from './taskLabelsCsv';
import { importTripRecords } from './tripsCsv';
import type { City } from '../types';

export type RawLayerImporter = (
  city: City,
  text: string,
  fileName: string,
  options?: LayerOptions,
) => PointImport | { error: string };

export const RAW_LAYER_IMPORTERS: Record<RawLayerKind, RawLayerImporter> = {
  poi: importPoiPoints,
  incidents: importIncidentLabels,
  trips: importTripRecords,
  landUsePoints: importLandUsePoints,
  landUsePolygons: importLandUsePolygons,
  labels: importTaskLabelsCsv,
};

/** What each kind of layer is, for messages (kept beside the kinds, which the page imports). */
export { RAW_LAYER_NAMES } from './rawLayerFiles';
