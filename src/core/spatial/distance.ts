/** Great-circle distances between region centroids (method.md, "Spatial priors"). */

export const EARTH_RADIUS_KM = 6371;

const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Haversine distance in km between two [lon, lat] points. */
export function haversineKm(a: [number, number], b: [number, number]): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** D (N x N, row-major, km): D_ij = haversine(c_i, c_j), D_ii = 0. */
export function distanceMatrix(centroids: [number, number][]): Float64Array {
  const n = centroids.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const v = haversineKm(centroids[i], centroids[j]);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  return d;
}
