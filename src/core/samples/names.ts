/**
 * Invented district names for synthetic cities, drawn deterministically from a seeded Rng:
 * an English-sounding place name ("Ashford", "Larkhurst"), sometimes with a direction or
 * age prefix ("North", "Old") and often with a word that fits the kind of district
 * ("Market" downtown, "Quay" by the river, "Works" in the industrial zone).
 */
import type { Rng } from '../random';

const STEMS = (
  'Ash Oak Elm Birch Alder Willow Hazel Thorn Bramble Fern Mill Brook Stone Clay Chalk Marsh ' +
  'Moor Heath Kings Queens Abbots Bishops Friars Monks Fox Hart Swan Lark Crane Bell Rose ' +
  'Salt Copper Tanners Weavers Cole Wolver Raven Holly Lime Cress Sedge Rush Beacon Wind ' +
  'Harrow Linden Castle'
).split(' ');

const SUFFIXES =
  'ford ley ham ton field wick bury worth by stead combe well dale hurst bridge gate mere den'.split(' ');

const PREFIXES = 'North South East West Upper Lower Old New Little Great'.split(' ');

/** Kinds of district the generator distinguishes (also used in region descriptions). */
export type DistrictKind = 'cbd' | 'inner' | 'suburb' | 'industrial' | 'university' | 'park' | 'townCentre';

const KIND_WORDS: Record<DistrictKind, string[]> = {
  cbd: ['Market', 'Exchange', 'Square', 'Cross', 'Gate', 'Court', 'Arcade'],
  inner: ['Street', 'Row', 'Place', 'Terrace', 'Gardens', 'Hill', 'Side', 'Town', 'Lane'],
  suburb: ['Park', 'Green', 'Heath', 'Fields', 'Vale', 'Wood', 'Common', 'Village', 'Meadows', 'End'],
  industrial: ['Works', 'Yards', 'Docks', 'Mills', 'Estate', 'Wharf'],
  university: ['Campus', 'College', 'Quarter'],
  park: ['Park'],
  townCentre: ['Centre', 'Market', 'Cross', 'Broadway'],
};

const RIVER_WORDS = ['Quay', 'Wharf', 'Bank', 'Reach', 'Bridge', 'Strand'];

/** Hands out unique district names. */
export class NameMaker {
  private readonly used = new Set<string>();
  /** How often each name was drawn by nextNumbered. */
  private readonly drawn = new Map<string, number>();

  constructor(private readonly rng: Rng) {}

  /** A place name without kind word, e.g. "Ashford" (not reserved). */
  placeName(): string {
    return this.rng.choice(STEMS) + this.rng.choice(SUFFIXES);
  }

  /** Reserve a given name (e.g. "City Centre"); returns it. */
  reserve(name: string): string {
    this.used.add(name);
    return name;
  }

  /** A fresh name for a district of the given kind. */
  next(kind: DistrictKind, riverside: boolean): string {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const name = this.draw(kind, riverside);
      if (!this.used.has(name)) return this.reserve(name);
    }
    throw new Error('NameMaker: ran out of unique names');
  }

  /**
   * A name for a district of the given kind, numbered when drawn before ("Ashford Green 2").
   * For large cities: there are only about 100,000 names per kind, so `next` runs out near
   * that; this one never retries. Do not mix with `next` in one city.
   */
  nextNumbered(kind: DistrictKind, riverside: boolean): string {
    const name = this.draw(kind, riverside);
    const seen = (this.drawn.get(name) ?? 0) + 1;
    this.drawn.set(name, seen);
    return seen === 1 ? name : `${name} ${seen}`;
  }

  /** One name as drawn, unique or not. */
  private draw(kind: DistrictKind, riverside: boolean): string {
    let name = this.placeName();
    if (kind !== 'park' && this.rng.bernoulli(0.3)) name = `${this.rng.choice(PREFIXES)} ${name}`;
    const words = riverside && kind !== 'park' && this.rng.bernoulli(0.6) ? RIVER_WORDS : KIND_WORDS[kind];
    const withWord = kind === 'park' || kind === 'university' || this.rng.bernoulli(0.55);
    if (withWord) name = `${name} ${this.rng.choice(words)}`;
    return name;
  }
}
