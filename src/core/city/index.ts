export * from './types';
export { loadCity, loadDroppedFiles, type DroppedFile } from './load';
export { loadCityBundle, writeCityBundle, zipCityBundle, type CityManifest } from './bundle';
export { loadBenchmarkCity, BENCHMARK_POI_CATEGORIES } from './benchmark';
export {
  loadGeoJsonCity,
  mappingFromRoles,
  suggestMapping,
  summariseProperties,
  type GeoJsonMapping,
  type PropertyRole,
  type PropertySummary,
} from './geojson';
export { formatProblem } from './problems';
export { geometryBounds, geometryCentroid } from './geometry';
