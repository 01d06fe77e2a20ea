import type { CSSProperties } from 'react';
import { regionSummary } from '../region/regionStats';
import { Facts } from '../region/Facts';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';

/** Where the card goes: beside the pointer, towards the side with more room; or pinned. */
export function tooltipPlacement(
  hover: { x: number; y: number; width: number; height: number },
  pinned: boolean,
): CSSProperties {
  // Pinned to the map's top-left corner while attention lines are drawn, which a card at the
  // pointer would cover (they start at the selected region, where the pointer often is).
  if (pinned) return { left: 12, top: 12 };
  const dx = hover.x > hover.width / 2 ? 'calc(-100% - 14px)' : '14px';
  const dy = hover.y > hover.height / 2 ? 'calc(-100% - 14px)' : '14px';
  return { left: hover.x, top: hover.y, transform: `translate(${dx}, ${dy})` };
}

/** Follows the pointer over the map: the hovered region's name, id and main counts. */
export function Tooltip({ loaded }: { loaded: LoadedCity }) {
  const hover = useApp((s) => s.hover);
  const linesDrawn = useApp(
    (s) => s.selected !== null && s.training?.loadId === loaded.loadId && !!s.training.result?.attention,
  );
  // While a polygon (or a new city's study area) is being drawn the card would hide its corners.
  const drawing = useApp((s) => s.polygon.length > 0 || (s.studyArea?.drawing ?? false));
  if (!hover || drawing) return null;
  const region = loaded.city.regions[hover.index];
  if (!region) return null;
  const rows = regionSummary(loaded.city, loaded.stats, hover.index);
  return (
    <div className="tooltip" role="tooltip" data-testid="tooltip" style={tooltipPlacement(hover, linesDrawn)}>
      <div className="tooltip-title">{region.name}</div>
      <div className="tooltip-id">id {region.id}</div>
      <Facts rows={rows} compact />
    </div>
  );
}
