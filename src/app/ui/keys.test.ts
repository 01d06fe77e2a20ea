import { describe, expect, it } from 'vitest';
import { isTextEntry, keyBelongsToTarget } from './keys';

const el = (tagName: string, role: string | null = null, isContentEditable = false) => ({
  tagName,
  isContentEditable,
  getAttribute: (name: string) => (name === 'role' ? role : null),
});

describe('keyBelongsToTarget', () => {
  it('keeps keys on text fields, selects and text areas for the field', () => {
    expect(keyBelongsToTarget(el('INPUT'))).toBe(true);
    expect(keyBelongsToTarget(el('TEXTAREA'))).toBe(true);
    expect(keyBelongsToTarget(el('SELECT'))).toBe(true);
  });

  it('keeps Enter on a focused button or link for that button or link', () => {
    expect(keyBelongsToTarget(el('BUTTON'))).toBe(true);
    expect(keyBelongsToTarget(el('A'))).toBe(true);
    expect(keyBelongsToTarget(el('summary'))).toBe(true);
  });

  it('keeps keys on editable regions and on elements with a widget role', () => {
    expect(keyBelongsToTarget(el('DIV', null, true))).toBe(true);
    expect(keyBelongsToTarget(el('DIV', 'button'))).toBe(true);
    expect(keyBelongsToTarget(el('SPAN', 'Slider'))).toBe(true);
  });

  it('leaves keys on the page body, the map canvas and plain containers to the page', () => {
    expect(keyBelongsToTarget(el('BODY'))).toBe(false);
    expect(keyBelongsToTarget(el('CANVAS'))).toBe(false);
    expect(keyBelongsToTarget(el('DIV', 'region'))).toBe(false);
    expect(keyBelongsToTarget({ tagName: 'DIV' })).toBe(false);
  });

  it('leaves keys with no element (a key sent to the window) to the page', () => {
    expect(keyBelongsToTarget(null)).toBe(false);
    expect(keyBelongsToTarget(undefined)).toBe(false);
  });
});

describe('isTextEntry', () => {
  it('is true for fields, selects, text areas and editable regions', () => {
    expect(isTextEntry(el('INPUT'))).toBe(true);
    expect(isTextEntry(el('SELECT'))).toBe(true);
    expect(isTextEntry(el('TEXTAREA'))).toBe(true);
    expect(isTextEntry(el('DIV', null, true))).toBe(true);
  });

  it('is false for buttons, links and the page, so Ctrl+Z still undoes a stroke there', () => {
    expect(isTextEntry(el('BUTTON'))).toBe(false);
    expect(isTextEntry(el('A'))).toBe(false);
    expect(isTextEntry(el('BODY'))).toBe(false);
    expect(isTextEntry(null)).toBe(false);
  });
});
