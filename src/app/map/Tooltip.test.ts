import { describe, expect, it } from 'vitest';
import { tooltipPlacement } from './Tooltip';

describe('tooltip placement', () => {
  it('opens beside the pointer towards the side with more room', () => {
    expect(tooltipPlacement({ x: 100, y: 500, width: 800, height: 600 }, false)).toEqual({
      left: 100,
      top: 500,
      transform: 'translate(14px, calc(-100% - 14px))',
    });
  });

  it('is pinned to the top-left corner while attention lines are drawn, never over them', () => {
    expect(tooltipPlacement({ x: 400, y: 300, width: 800, height: 600 }, true)).toEqual({
      left: 12,
      top: 12,
    });
  });
});
