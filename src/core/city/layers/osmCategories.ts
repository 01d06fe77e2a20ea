/**
 * OpenStreetMap tags onto the 26 benchmark POI categories (BENCHMARK_POI_CATEGORIES): the
 * default of the POI category mapping for points exported from OSM.
 *
 * The table is data: each row is an OSM key, the values of that key (space separated) and the
 * benchmark category they count as. A row whose values are `*` is the key's fallback, used for
 * any value the other rows of that key do not list (every `shop=*` not named elsewhere is
 * shopping). `amenity` has no fallback: its values are too varied to guess.
 *
 * A point's category may be written `key=value` (`amenity=restaurant`, also `key:value` or
 * `key/value`) or as the bare value (`restaurant`); a bare value is looked up under the keys in
 * the order of KEY_ORDER and takes the first row that lists it. Only the first of several
 * values (`cafe;bakery`) counts. Case, spaces and hyphens are ignored (`Fast Food` is
 * `fast_food`).
 */

type Row = readonly [key: string, values: string, category: string];

export const OSM_TAG_TABLE: readonly Row[] = [
  // amenity=*
  ['amenity', 'restaurant cafe fast_food food_court ice_cream bbq biergarten canteen', 'food_and_drink'],
  ['amenity', 'bar pub nightclub stripclub hookah_lounge casino gambling', 'nightlife'],
  ['amenity', 'school kindergarten college university library language_school music_school driving_school childcare training', 'education'],
  ['amenity', 'hospital clinic doctors dentist pharmacy veterinary nursing_home', 'healthcare'],
  ['amenity', 'bank atm bureau_de_change money_transfer payment_centre', 'finance'],
  ['amenity', 'cinema theatre arts_centre studio planetarium', 'arts_and_culture'],
  ['amenity', 'events_venue conference_centre music_venue', 'entertainment'],
  ['amenity', 'place_of_worship monastery', 'religious'],
  ['amenity', 'townhall courthouse post_office embassy prison', 'government'],
  ['amenity', 'community_centre social_facility social_centre shelter toilets drinking_water marketplace', 'community_services'],
  ['amenity', 'bus_station ferry_terminal taxi bicycle_rental car_sharing boat_rental', 'transport'],
  ['amenity', 'parking parking_space bicycle_parking motorcycle_parking parking_entrance', 'parking'],
  ['amenity', 'fuel charging_station car_wash car_rental vehicle_inspection', 'automotive'],
  ['amenity', 'police fire_station ambulance_station rescue_station', 'emergency_services'],
  ['amenity', 'recycling waste_disposal waste_basket waste_transfer_station', 'utilities'],
  ['amenity', 'bench fountain clock vending_machine', 'other'],
  // shop=*
  ['shop', 'hairdresser beauty cosmetics massage tattoo nail_salon perfumery hairdresser_supply', 'beauty_and_personal_care'],
  ['shop', 'car car_repair car_parts tyres motorcycle motorcycle_repair', 'automotive'],
  ['shop', 'laundry dry_cleaning copyshop travel_agency funeral_directors optician photo tailor pawnbroker rental mobile_phone computer repair', 'retail_services'],
  ['shop', 'estate_agent', 'real_estate'],
  ['shop', 'bakery butcher greengrocer deli pastry confectionery beverages alcohol wine coffee tea cheese seafood', 'food_and_drink'],
  ['shop', '*', 'shopping'],
  // leisure=*
  ['leisure', 'park garden playground nature_reserve dog_park picnic_site common recreation_ground', 'parks_and_outdoors'],
  ['leisure', 'sports_centre fitness_centre fitness_station pitch stadium swimming_pool golf_course track sports_hall ice_rink horse_riding', 'sports_and_fitness'],
  ['leisure', 'amusement_arcade bowling_alley escape_game water_park miniature_golf dance', 'entertainment'],
  ['leisure', 'marina slipway', 'transport'],
  ['leisure', '*', 'parks_and_outdoors'],
  // tourism=*
  ['tourism', 'hotel motel hostel guest_house apartment chalet camp_site caravan_site alpine_hut', 'accommodation'],
  ['tourism', 'museum gallery artwork', 'arts_and_culture'],
  ['tourism', 'theme_park zoo aquarium', 'entertainment'],
  ['tourism', '*', 'tourism'],
  // further keys, each with a fallback
  ['office', 'estate_agent property_management', 'real_estate'],
  ['office', 'government', 'government'],
  ['office', 'company industrial', 'business_and_industry'],
  ['office', '*', 'professional_services'],
  ['craft', '*', 'business_and_industry'],
  ['industrial', '*', 'business_and_industry'],
  ['man_made', 'works', 'business_and_industry'],
  ['healthcare', '*', 'healthcare'],
  ['sport', '*', 'sports_and_fitness'],
  ['historic', '*', 'tourism'],
  ['public_transport', '*', 'transport'],
  ['railway', 'station halt tram_stop subway_entrance', 'transport'],
  ['highway', 'bus_stop', 'transport'],
  ['aeroway', 'aerodrome terminal', 'transport'],
  ['emergency', '*', 'emergency_services'],
  ['power', '*', 'utilities'],
]; // prettier-ignore

/** The keys a bare value (no `key=`) is looked up under, in this order. */
export const KEY_ORDER = [
  'amenity', 'shop', 'leisure', 'tourism', 'office', 'craft', 'healthcare', 'public_transport',
  'railway', 'highway', 'aeroway', 'emergency', 'historic', 'sport', 'man_made', 'industrial', 'power',
]; // prettier-ignore

const normalise = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

const byTag = new Map<string, string>();
const fallback = new Map<string, string>();
for (const [key, values, category] of OSM_TAG_TABLE)
  for (const value of values.split(/\s+/)) {
    if (value === '*') fallback.set(key, category);
    else if (!byTag.has(`${key}=${value}`)) byTag.set(`${key}=${value}`, category);
  }

/**
 * The benchmark category of an OSM-tagged category text (`amenity=restaurant`, `restaurant`),
 * or null when the table has none for it.
 */
export function osmCategoryOf(text: string): string | null {
  const first = text.split(';')[0];
  const tag = /^\s*([A-Za-z_:]+?)\s*[=:/]\s*(.+)$/.exec(first);
  if (tag) {
    const key = normalise(tag[1]);
    const value = normalise(tag[2]);
    return byTag.get(`${key}=${value}`) ?? fallback.get(key) ?? null;
  }
  const value = normalise(first);
  if (value === '') return null;
  for (const key of KEY_ORDER) {
    const hit = byTag.get(`${key}=${value}`);
    if (hit) return hit;
  }
  return null;
}

/** The OSM keys whose columns (one per key, as in many OSM exports) can name a point's category. */
export const OSM_KEY_COLUMNS = KEY_ORDER;
