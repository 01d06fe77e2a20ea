import { regionSummary } from '../region/regionStats';
import { Facts } from '../region/Facts';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';

/** Follows the pointer over the map: the hovered region's name, id and main counts. */
export function Tooltip({ loaded }: { loaded: LoadedCity }) {
  const hover = useApp((s) => s.hover);
  // While a polygon (or a new city's study area) is being drawn the card would hide its corners.
  const drawing = useApp((s) => s.polygon.length > 0 || (s.studyArea?.drawing ?? false));
  if (!hover || drawing) return null;
  const region = loaded.city.regions[hover.index];
  if (!region) return null;
  const rows = regionSummary(loaded.city, loaded.stats, hover.index);
  // Open towards the side with more room, so the tooltip stays on the map.
  const dx = hover.x > hover.width / 2 ? 'calc(-100% - 14px)' : '14px';
  const dy = hover.y > hover.height / 2 ? 'calc(-100% - 14px)' : '14px';
  return (
    <div
      className="tooltip"
      role="tooltip"
      data-testid="tooltip"
      style={{ left: hover.x, top: hover.y, transform: `translate(${dx}, ${dy})` }}
    >
      <div className="tooltip-title">{region.name}</div>
      <div className="tooltip-id">id {region.id}</div>
      <Facts rows={rows} compact />
    </div>
  );
}
