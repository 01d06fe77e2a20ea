import { formatProblem } from '../../core/city/problems';
import { useApp } from '../state/store';
import { download } from '../ui/download';

const SHOWN = 40;

/** Problems of the last load: errors (nothing changed) or warnings (the city loaded anyway). */
export function ProblemReport() {
  const report = useApp((s) => s.report);
  const current = useApp((s) => s.current);
  const dismiss = useApp((s) => s.setReport);
  if (!report) return null;
  const failed = report.outcome === 'failed';
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.length - errors;
  const counts = [
    errors && `${errors} error${errors > 1 ? 's' : ''}`,
    warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <section className={`report ${failed ? 'failed' : 'warned'}`} role="alert" data-testid="problems">
      <h2>
        {failed
          ? `Could not load ${report.subject}`
          : `Loaded ${report.subject}${report.problems.length ? ' with warnings' : ''}`}
      </h2>
      {(counts || failed) && (
        <p>
          {counts && `${counts}. `}
          {failed && (current ? `${current.city.metadata.name} is still loaded.` : 'No city is loaded.')}
        </p>
      )}
      <ul>
        {report.problems.slice(0, SHOWN).map((p, i) => (
          <li key={i} className={p.severity}>
            {formatProblem(p)}
          </li>
        ))}
      </ul>
      {report.problems.length > SHOWN && <p>{report.problems.length - SHOWN} more not shown.</p>}
      {report.notes && report.notes.length > 0 && (
        <>
          <ul className="notes" data-testid="import-report">
            {report.notes.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
          <button type="button" onClick={() => downloadReport(report.subject, report.notes ?? [])}>
            Download the import report
          </button>
        </>
      )}
      <button type="button" onClick={() => dismiss(null)}>
        Dismiss
      </button>
    </section>
  );
}

/** The import report as a text file (what was read, what was dropped and why). */
const downloadReport = (subject: string, lines: string[]): void =>
  download({
    name: `import-report_${new Date().toISOString().slice(0, 10)}.txt`,
    bytes: `Import of ${subject}\n\n${lines.join('\n')}\n`,
    mime: 'text/plain',
  });
