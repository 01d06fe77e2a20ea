/**
 * Whether a card needs scrolling into view: the side panel brings a clicked region's details
 * to the eye (its heading is above the panel's visible part, or below it), and leaves them
 * alone when their heading already shows.
 */

/** Top and bottom edges, in one coordinate system (e.g. getBoundingClientRect's). */
export interface Span {
  top: number;
  bottom: number;
}

/** How much of the card's top must show for it to count as seen (its heading), in CSS pixels. */
export const HEADING_PIXELS = 40;

/** True when the card's top `HEADING_PIXELS` are not all inside `view`. */
export function outOfView(card: Span, view: Span): boolean {
  const headingBottom = Math.min(card.bottom, card.top + HEADING_PIXELS);
  return card.top < view.top || headingBottom > view.bottom;
}
