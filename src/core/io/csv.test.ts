import { describe, expect, it } from 'vitest';
import { embeddingsCsv, predictionsCsv } from '../export/files';
import { neutraliseCell, parseCsv, restoreCell, writeCsv } from './csv';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('neutraliseCell', () => {
  it('puts a single quote before a text cell a spreadsheet would run', () => {
    expect(neutraliseCell('=1+2')).toBe("'=1+2");
    expect(neutraliseCell('=HYPERLINK("http://x.test","y")')).toBe('\'=HYPERLINK("http://x.test","y")');
    expect(neutraliseCell('+A1')).toBe("'+A1");
    expect(neutraliseCell('-2+3')).toBe("'-2+3");
    expect(neutraliseCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseCell('\t=1')).toBe("'\t=1");
    expect(neutraliseCell('\r=1')).toBe("'\r=1");
  });

  it('keeps plain numbers, negative ones included, and ordinary text as they are', () => {
    for (const cell of ['-1.5', '-2e-7', '-3', '+4', '-.5', 'A', 'a=b', 'x-1', '', "O'Hara"])
      expect(neutraliseCell(cell)).toBe(cell);
  });

  it('adds one more quote to a cell already quoted before a formula start, so reading gives it back', () => {
    expect(neutraliseCell("'=1")).toBe("''=1");
    for (const cell of ['=1', "'=1", "''-x", "'plain", "'", '-1.5', '@', '-', '\t'])
      expect(restoreCell(neutraliseCell(cell))).toBe(cell);
  });
});

describe('writeCsv', () => {
  it('writes formula cells neutralised and negative numbers as numbers', () => {
    const csv = writeCsv(
      ['region_id', '=cat'],
      [
        ['=1+2', -1.5],
        ['=HYPERLINK("http://x.test","y")', 2],
      ],
    );
    expect(csv).toBe('region_id,\'=cat\n\'=1+2,-1.5\n"\'=HYPERLINK(""http://x.test"",""y"")",2\n');
  });

  it('is read back by parseCsv to the cells it was given', () => {
    const header = ['region_id', '-food', '@home'];
    const rows = [
      ['=1+2', '-1.5', "'=x"],
      ['+A', '-', 'plain'],
    ];
    const table = parseCsv(writeCsv(header, rows));
    expect(table.header).toEqual(header);
    expect(table.rows.map((r) => r.cells)).toEqual(rows);
  });
});

describe('exports through writeCsv', () => {
  it('embeddings and predictions CSVs neutralise hostile region ids and names, keeping values', () => {
    const emb = embeddingsCsv(['=1+2', 'B'], new Float32Array([-1.5, 2, 0.25, -3]), 2, 'e.csv');
    expect(text(emb.bytes)).toBe("region_id,e0,e1\n'=1+2,-1.5,2\nB,0.25,-3\n");
    const pred = predictionsCsv(
      ['A'],
      ['=HYPERLINK("http://x.test")'],
      [{ task: 'crime', actual: null, predicted: new Float64Array([-0.5]), heldOut: new Uint8Array([1]) }],
      'p.csv',
    );
    expect(text(pred.bytes)).toBe(
      'region_id,name,crime_actual,crime_predicted,crime_held_out\nA,"\'=HYPERLINK(""http://x.test"")",,-0.5,1\n',
    );
  });
});
