import { useState } from 'react';
import type { TaskReport } from '../../core/eval/taskReport';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';
import {
  SCATTER_FRAME,
  pointText,
  scatterLayout,
  scatterPoints,
  scatterTitle,
  type ScatterPoint,
} from './scatter';

const F = SCATTER_FRAME;

/**
 * Held-out predicted against actual for one task at a time (a picker above), over the labelled
 * held-out regions, with the 1:1 line. Hover a point for its region; click it to select the
 * region as a map click does; the selected region is drawn highlighted.
 */
export function PredictedScatter({ reports, loaded }: { reports: TaskReport[]; loaded: LoadedCity }) {
  const city = loaded.city;
  const shown = reports.filter((r) => city.labels.some((l) => l.id === r.task));
  const [taskId, setTaskId] = useState<string | null>(null);
  const [hovered, setHovered] = useState<ScatterPoint | null>(null);
  const selected = useApp((s) => s.selected);
  const select = useApp((s) => s.select);
  const report = shown.find((r) => r.task === taskId) ?? shown[0];
  if (!report) return null;
  const points = scatterPoints(city, report);
  const layout = scatterLayout(points);
  const labels = city.labels.find((l) => l.id === report.task);
  const name = labels?.name ?? report.task;
  const title = scatterTitle(name, report);
  const chosen = layout.points.find((p) => p.index === selected);
  const said = hovered ?? chosen ?? null;
  const { area } = layout;
  const unit = labels?.unit ? ` (${labels.unit})` : '';
  return (
    <figure className="scatter" data-testid="predicted-scatter">
      <h3 className="scatter-title" data-testid="scatter-title">
        {title}
      </h3>
      {shown.length > 1 && (
        <label className="scatter-task">
          Task{' '}
          <select
            value={report.task}
            onChange={(e) => {
              setTaskId(e.target.value);
              setHovered(null);
            }}
            data-testid="scatter-task"
          >
            {shown.map((r) => (
              <option key={r.task} value={r.task}>
                {city.labels.find((l) => l.id === r.task)?.name ?? r.task}
              </option>
            ))}
          </select>
        </label>
      )}
      <svg
        viewBox={`0 0 ${F.width} ${F.height}`}
        role="group"
        aria-label={`${title}: ${points.length} held-out labelled regions; click a point to select its region`}
        onMouseLeave={() => setHovered(null)}
      >
        <rect className="scatter-area" x={area.x} y={area.y} width={area.width} height={area.height} />
        {layout.ticks.map((t) => (
          <g key={t.value} className="scatter-tick">
            <line x1={t.x} x2={t.x} y1={area.y} y2={area.y + area.height} />
            <line x1={area.x} x2={area.x + area.width} y1={t.y} y2={t.y} />
            <text x={t.x} y={area.y + area.height + 12} textAnchor="middle">
              {t.text}
            </text>
            <text x={area.x - 4} y={t.y + 3} textAnchor="end">
              {t.text}
            </text>
          </g>
        ))}
        <line className="scatter-diagonal" {...layout.diagonal} />
        <text className="scatter-axis" x={area.x + area.width / 2} y={F.height - 4} textAnchor="middle">
          actual{unit}
        </text>
        <text
          className="scatter-axis"
          transform={`translate(11 ${area.y + area.height / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          predicted (held out)
        </text>
        {layout.points.map((p) => (
          <circle
            key={p.index}
            className="scatter-point"
            data-testid="scatter-point"
            data-region={p.index}
            cx={p.x}
            cy={p.y}
            r={3.5}
            onMouseEnter={() => setHovered(p)}
            onClick={() => select(p.index)}
          >
            <title>{pointText(p)}</title>
          </circle>
        ))}
        {chosen && (
          <circle
            className="scatter-selected"
            data-testid="scatter-selected"
            data-region={chosen.index}
            cx={chosen.x}
            cy={chosen.y}
            r={6}
          />
        )}
      </svg>
      <figcaption className="hint" data-testid="scatter-hover" aria-live="polite">
        {said
          ? `${said === chosen && said !== hovered ? 'Selected: ' : ''}${pointText(said)}`
          : 'Points above the dashed 1:1 line are over-predicted, below it under-predicted. Hover a point for its region; click to select it on the map.'}
      </figcaption>
    </figure>
  );
}
