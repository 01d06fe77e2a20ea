import { describe, expect, it } from 'vitest';
import { twoSquares } from '../../core/city/fixtures/twoSquares';
import { initialCity, showCity, type CityState } from './city';
import {
  addTasks,
  cancelDraft,
  customLabels,
  DRAFT_OPTION,
  editDraft,
  eraseDraftLabels,
  fillPolygon,
  initialTasks,
  labelRegion,
  labelsMergeText,
  mergeLabels,
  paintRegion,
  polygonClicked,
  setDraftLabels,
  setBrush,
  showDraft,
  undoPaint,
  UNDO_DEPTH,
  type DraftTask,
  type TasksState,
} from './tasks';

type State = CityState & TasksState;

const city = twoSquares(['shopping']);
const draft: DraftTask = {
  loadId: 'city-1',
  id: 'custom-noise',
  name: 'Noise',
  description: 'Noise complaints per year',
  values: Float64Array.of(NaN, NaN),
  history: [],
};
/** Two squares shown, with the draft being labelled and `patch` applied. */
function labelling(patch: Partial<TasksState> = {}): State {
  const base: State = { ...initialCity, ...initialTasks, ...patch };
  const shown = {
    ...base,
    ...showCity(base, city, { origin: 'Sample cities', entryKey: null, source: null }),
  };
  return { ...shown, ...showDraft(shown, draft) };
}
const apply = (s: State, patch: Partial<State>): State => ({ ...s, ...patch });
const values = (s: State): number[] => [...(s.draftTask?.values ?? [])];

describe('the tasks slice', () => {
  it("a draft's labels are shown on the map while it is painted", () => {
    const s = labelling();
    expect(s.valueId).toBe(DRAFT_OPTION);
    expect(s.current?.derived[DRAFT_OPTION]).toBe(draft.values);
    expect(s.current?.options.at(-1)).toEqual({
      id: DRAFT_OPTION,
      label: 'Noise: your labels',
      group: 'Custom task (draft)',
    });
  });

  it("painting a region gives it the brush's value; painting it again with the same value is no step", () => {
    const s = apply(labelling({ brush: 7 }), paintRegion(labelling({ brush: 7 }), 1));
    expect(values(s)).toEqual([NaN, 7]);
    expect(s.draftTask?.history).toHaveLength(1);
    expect(s.current?.derived[DRAFT_OPTION]).toBe(s.draftTask?.values);
    expect(paintRegion(s, 1)).toEqual({});
    expect(paintRegion({ ...s, brush: null }, 0)).toEqual({});
  });

  it('a value typed for a region labels it like painting, and Undo takes it back', () => {
    const s = apply(labelling(), labelRegion(labelling(), 0, 3.5));
    expect(values(s)).toEqual([3.5, NaN]);
    expect(s.draftTask?.history).toHaveLength(1);
    expect(s.current?.derived[DRAFT_OPTION]).toBe(s.draftTask?.values);
    expect(labelRegion(s, 0, 3.5)).toEqual({});
    expect(values(apply(s, undoPaint(s)))).toEqual([NaN, NaN]);
  });

  it('a typed value that is not a number, or a region out of range, changes nothing', () => {
    expect(labelRegion(labelling(), 0, NaN)).toEqual({});
    expect(labelRegion(labelling(), 0, Infinity)).toEqual({});
    expect(labelRegion(labelling(), 2, 1)).toEqual({});
    expect(labelRegion(labelling(), -1, 1)).toEqual({});
  });

  it('painting a region keeps the last 100 states for undo', () => {
    let s = labelling();
    for (let k = 1; k <= UNDO_DEPTH + 5; k++) s = apply(s, paintRegion({ ...s, brush: k }, 0));
    expect(s.draftTask?.history).toHaveLength(100);
    expect(s.draftTask?.history[0][0]).toBe(5); // the first five states are gone
    s = apply(s, undoPaint(s));
    expect(values(s)).toEqual([104, NaN]);
    expect(s.draftTask?.history).toHaveLength(99);
  });

  it('undo with no history, or erasing labels that are all blank, changes nothing', () => {
    const s = labelling();
    expect(undoPaint(s)).toEqual({});
    expect(eraseDraftLabels(s)).toEqual({});
    expect(editDraft({ ...s, draftTask: null }, () => true)).toEqual({});
  });

  it('a polygon of three corners clicked closed gives every region inside the value, in one undo step', () => {
    let s = labelling({ brush: 2, paintTool: 'polygon' });
    for (const corner of [
      [8.495, 47.365],
      [8.525, 47.365],
      [8.525, 47.385],
    ] as [number, number][])
      s = apply(s, polygonClicked(s, corner, false));
    expect(s.polygon).toHaveLength(3);
    // A click on the first corner closes the triangle: only B's centre lies inside it.
    s = apply(s, polygonClicked(s, [8.495, 47.365], true));
    expect(s.polygon).toEqual([]);
    expect(values(s)).toEqual([NaN, 2]);
    expect(s.draftTask?.history).toHaveLength(1);
  });

  it('with the brush tool, or no brush, a click adds no corner; a polygon under three corners fills nothing', () => {
    expect(polygonClicked(labelling({ brush: 2 }), [8.5, 47.37], false)).toEqual({});
    expect(polygonClicked(labelling({ paintTool: 'polygon' }), [8.5, 47.37], false)).toEqual({});
    expect(fillPolygon(labelling({ brush: 2, polygon: [[8.5, 47.37]] }))).toEqual({ polygon: [] });
  });

  it('putting the brush down ends the polygon being drawn', () => {
    expect(setBrush(null)).toEqual({ brush: null, polygon: [] });
    expect(setBrush(3)).toEqual({ brush: 3 });
  });

  it('cancelling the draft takes its labels off the map and puts the brush down', () => {
    const s = labelling({ brush: 1, polygon: [[8.5, 47.37]] });
    const cancelled = apply(s, cancelDraft(s));
    expect(cancelled.draftTask).toBeNull();
    expect(cancelled.brush).toBeNull();
    expect(cancelled.polygon).toEqual([]);
    expect(cancelled.current?.options.some((o) => o.id === DRAFT_OPTION)).toBe(false);
    expect(cancelled.valueId).toBe('poi-total');
  });

  it('an added task joins the city as a label column with its sentence as note, and keeps its template', () => {
    const s = labelling();
    const labels = customLabels({ ...draft, values: Float64Array.of(4, NaN) });
    expect(labels).toEqual({
      id: 'custom-noise',
      name: 'Noise',
      unit: '',
      values: Float64Array.of(4, NaN),
      missing: 1,
      note: 'Noise complaints per year',
    });
    const template = { persona: 'An acoustician.', focus: ['traffic'], outputStructure: 'Low or high.' };
    const added = apply(s, addTasks(s, 'city-1', [{ labels, template }]));
    expect(added.current?.city.labels).toEqual([labels]);
    expect(added.current?.options.filter((o) => o.id === 'label:custom-noise')).toHaveLength(1);
    expect(added.taskTemplates).toEqual({ 'custom-noise': template });
    expect(addTasks(s, 'city-2', [{ labels }])).toEqual({});
  });

  it('a labels file merges into the painted labels: painted regions the file does not mention keep their value', () => {
    const painted = Float64Array.of(5, 7, NaN, 9, NaN);
    const file = Float64Array.of(NaN, 8, 1, 9, NaN);
    const m = mergeLabels(painted, file);
    expect(Array.from(m.values)).toEqual([5, 8, 1, 9, NaN]);
    expect({ read: m.read, kept: m.kept, replaced: m.replaced }).toEqual({ read: 3, kept: 1, replaced: 1 });
    expect(labelsMergeText(m, 'noise.csv')).toBe(
      'Read 3 labels from noise.csv; kept 1 painted label for regions the file does not mention; the file changed 1 painted value (Undo brings them back).',
    );
    expect(labelsMergeText({ read: 1, kept: 0, replaced: 0 }, 'a.csv')).toBe('Read 1 label from a.csv.');
  });

  it('labels from a file are one undo step, and a file that changes nothing is none', () => {
    const painting = labelling({ brush: 4 });
    const s = apply(painting, paintRegion(painting, 0));
    const merged = apply(s, setDraftLabels(s, Float64Array.of(NaN, 6)));
    expect(values(merged)).toEqual([4, 6]);
    expect(merged.draftTask?.history).toHaveLength(2);
    expect(setDraftLabels(merged, Float64Array.of(NaN, 6))).toEqual({});
    expect(values(apply(merged, undoPaint(merged)))).toEqual([4, NaN]);
  });
});
