/**
 * What `npm run benchmark:get` downloads and makes: every file of the benchmark folder (Chicago,
 * NYC's Manhattan, San Francisco; the layout ./city/benchmark.ts reads), the public file it
 * comes from at a pinned commit, how it is made, and the SHA-256 of the file written.
 *
 * Sources (each a public GitHub repository, fetched as raw files at a fixed commit):
 * - MiRuacle24/HAFusion (ICDE 2024), `data_Chi`, `data_NY`, `data_SF`: features and labels,
 *   copied unchanged.
 * - townSeven/Prompt4RE (the ToPT authors): Chicago's prompt embeddings (copied unchanged) and
 *   `prompt_data.json`, whose text parts are the region descriptions.
 * - slzhou-xy/HREP (AAAI 2023), `data/neighbor.npy`: NYC's adjacency.
 * - wushangbin/MGFN (IJCAI 2022), the `mh-180` shapefile's geometry (`.shp`; records in row
 *   order, its attributes are not needed) and `mh_cd.json`: NYC's boundaries.
 * - gdiasdasilva/interactive-data-chicago, `community_areas.geojson`: Chicago's boundaries.
 *
 * The checksums are those of the reference copy the project was built and measured on: for a
 * copied file, of the file itself (so also of the download); for a converted one, of the
 * canonical JSON written by ./convert.ts. The original shapefile, pickle and GeoJSON sources
 * are not pinned by checksum (no copy of them was kept); what they convert to is.
 */

export interface SourceFile {
  /** owner/name on GitHub */
  repo: string;
  commit: string;
  /** path inside the repository */
  path: string;
}

export type Recipe =
  | { kind: 'copy'; from: SourceFile }
  | { kind: 'nycAdjacency'; neighbors: SourceFile }
  | { kind: 'nycRegions'; shp: SourceFile; districts: SourceFile }
  | { kind: 'chicagoRegions'; areas: SourceFile }
  | { kind: 'descriptions'; prompts: SourceFile };

export interface BenchmarkFile {
  /** Path written inside the benchmark folder, e.g. `nyc/regions.geojson`. */
  out: string;
  recipe: Recipe;
  /** SHA-256 (hex) of the bytes written. */
  sha256: string;
}

/** The raw-file address layout every source follows: `<base>/<owner>/<repo>/<commit>/<path>`. */
export const DEFAULT_SOURCE_BASE = 'https://raw.githubusercontent.com';

export function sourceUrl(base: string, file: SourceFile): string {
  const path = file.path.split('/').map(encodeURIComponent).join('/');
  return `${base.replace(/\/+$/, '')}/${file.repo}/${file.commit}/${path}`;
}

const HAFUSION = { repo: 'MiRuacle24/HAFusion', commit: '1dcee5ab1f9562ade07b59971a30b740cc3f097a' };
const PROMPT4RE = { repo: 'townSeven/Prompt4RE', commit: '7d764a6289eae5694713af7515d4d7efeb9a3b97' };

const hafusion = (dir: string, file: string): Recipe => ({
  kind: 'copy',
  from: { ...HAFUSION, path: `${dir}/${file}` },
});

/** Per city: the HAFusion folder and the SHA-256 of each of its nine arrays. */
const HAFUSION_ARRAYS: Record<string, { dir: string; sha256: Record<string, string> }> = {
  chicago: {
    dir: 'data_Chi',
    sha256: {
      'check_counts.npy': '69cf5726e662430d065c050f5c617fd25f8082783575681aa49eb6c0c62dfc33',
      'crime_counts.npy': 'a07a47296e42b2030c652633e917a3a55ed49941b998251044e16f3d62fc72da',
      'landUse_dist.npy': '2276a1752a3df8f68b9632bb4f936298f6c1383fc1c2094854a0f3a13f3c09de',
      'landUse_simi.npy': '3fdeee94c823ef749ea6f9335082ac746200b3b841d1cd29bd9a6f3c559495f1',
      'mob-adj.npy': 'a9d8a5689627336e46f706664502c82b4650948a2e98ef09a505bbaf8a60ae22',
      'mob_dist.npy': 'ff533e9bbb1d8d97c16ee5686d5bc5d761928fe2280c0b1271443b164b5c5653',
      'poi_dist.npy': '0f881492f0c52b35d6d20aea7d018e670e22311329727d1b5fb6bf840a538a8c',
      'poi_simi.npy': '0e789130c4e8d6e2e43651137f53f7999b34e49deda9ea5963d7085e80189944',
      'serviceCall_counts.npy': 'a0ed676b48b8a9e46a6fe233e1ddc7e989699df60c80c479fdf2de02da893973',
    },
  },
  nyc: {
    dir: 'data_NY',
    sha256: {
      'check_counts.npy': 'c3b25ded31c0538b9814cabc4fbfe16e0fad22ba042506b3648d2f50e920068e',
      'crime_counts.npy': '69e2a0b5ea71cd92813cbb02e76c39284fa9b24e32e59725e7fc206a285ed07b',
      'landUse_dist.npy': 'b88f7919afd62e6bcbd8757e9641113fa6b6174b5359add3c01e9a765fee8d54',
      'landUse_simi.npy': '9daed52511d22c7b8848e36ccfe90db3c48cad937990ced51f25f82aa04a2c8a',
      'mob-adj.npy': 'b8f220d8f5220ea5ae98dff31a27e356849979b80b8d854c1535d364d9c34077',
      'mob_dist.npy': 'b342fe420b6745977dabc7590b2a2b504b64aeb7ae41dadef1b7a417cb8b33e3',
      'poi_dist.npy': '39dcf1970dfaa241c716719c0596856559409e75efb4798a552865b413986057',
      'poi_simi.npy': '8e82f7eb3737d5d534d064df817d7ec7ddb2d60c5cca12bdc233e05f5b3901ec',
      'serviceCall_counts.npy': '5ca400d33e62131c52a314a7860b7ee4210856ecd2773a1b4fd60c0360d91093',
    },
  },
  sf: {
    dir: 'data_SF',
    sha256: {
      'check_counts.npy': '1ac70d895ede0b198bc2ec46852a2c1df30a9fd5bd5e9bd87fd9420520b87199',
      'crime_counts.npy': '21937714c9bf3f9002327923d611c4bf80a606a14d1e2b83be64eb7f2006c084',
      'landUse_dist.npy': '281a59a2957af2e3417a0767430e0418e81c2eb9c9eb8ccc2d22454a61c06ed7',
      'landUse_simi.npy': 'c5fcf2a09743fef7fa159cc6c8c6b0e26f8c4fd34ab6fbb177340186a8c06f50',
      'mob-adj.npy': '8950a7b793043d749c52bb9ac7f8dd37b04097a43f783b56060b1d21b3573ad9',
      'mob_dist.npy': '30b571c16eaeb75db1273c880f656dbc183df52950e0636ba33eab0b28263b18',
      'poi_dist.npy': '18b4c0f800ac705437820be6aa53bc9a7f65f5960783cbf90f19d92327335ea4',
      'poi_simi.npy': 'f7e8d1ba70adb16f607479e9291af11d1b5d629ff2a8c24a70bcb1ab251eedcc',
      'serviceCall_counts.npy': '6c6b90d38c108f3c573f70c595b732e4b67c1575d2cafa2186b852916d403322',
    },
  },
};

/** Chicago's prompt embeddings (77 x 3584 or 77 x 4096, float16), as the authors published them. */
const PROMPT_EMBEDDINGS: Record<string, string> = {
  'prompt_embs_llama_checkIn.npy': '4fa62891c96fb1e1dff143fefcf7677bf4daea3bd97c8eb167a435ff5b3557ee',
  'prompt_embs_llama_crime.npy': '1a319fdce0a067732de5b240cef5c02578a4d131fda39697b92ac7726a5d6a75',
  'prompt_embs_llama_none.npy': '3ff7ac72c722d1fbb30270cffad80e49eb11b289b36695e00deab189ce57616b',
  'prompt_embs_llama_serviceCall.npy': '91f53fc70d6ea477ab4ab3679845de5a5b9c848e64183d19f7d22495eedb9ab0',
  'prompt_embs_qwen_checkIn.npy': '031434644eb72db8defd9299778ebe80b6812819b29a09b33894064d979293eb',
  'prompt_embs_qwen_crime.npy': '6c94ded66bfad76681408a9323d98a2b70f236b1c558337927777a0bb04a31c7',
  'prompt_embs_qwen_serviceCall.npy': '1aa6d2a8ec21202c17c29b45c752769ed02351da8ff01daf64e6192fb7eba25e',
};

export const BENCHMARK_FILES: BenchmarkFile[] = [
  ...Object.entries(HAFUSION_ARRAYS).flatMap(([city, { dir, sha256 }]) =>
    Object.entries(sha256).map(([file, sum]) => ({
      out: `${city}/${file}`,
      recipe: hafusion(dir, file),
      sha256: sum,
    })),
  ),
  ...Object.entries(PROMPT_EMBEDDINGS).map(([file, sum]) => ({
    out: `chicago/llm-prompt-embeddings/${file}`,
    recipe: { kind: 'copy', from: { ...PROMPT4RE, path: `data/${file}` } } as Recipe,
    sha256: sum,
  })),
  {
    out: 'chicago/region_descriptions.json',
    recipe: { kind: 'descriptions', prompts: { ...PROMPT4RE, path: 'data/prompt_data.json' } },
    sha256: '97e0d85788da954e36ab2965d7de69c5ebfbc7d47c9c65ed4db521a8d97632ff',
  },
  {
    out: 'chicago/regions.geojson',
    recipe: {
      kind: 'chicagoRegions',
      areas: {
        repo: 'gdiasdasilva/interactive-data-chicago',
        commit: '833744c9effd2e83743c19434f7eb006e430fda4',
        path: 'community_areas.geojson',
      },
    },
    sha256: '01c3b922f56cd5e119713914fae79bbc094f2c360eddfc2d3d4ae10eb477dfc7',
  },
  {
    out: 'nyc/adjacency.json',
    recipe: {
      kind: 'nycAdjacency',
      neighbors: {
        repo: 'slzhou-xy/HREP',
        commit: '1b7e032dfdc59c4a52c3fcd0f412f9cc0d719474',
        path: 'data/neighbor.npy',
      },
    },
    sha256: '68bffc84130c5dbb69a817194c46c8dc5ea75493b28b7d7938723020649c4237',
  },
  {
    out: 'nyc/regions.geojson',
    recipe: {
      kind: 'nycRegions',
      shp: {
        repo: 'wushangbin/MGFN',
        commit: '229fe16706041b85414c3ee209ec0b7a72980cf1',
        path: 'Data/mh-180.shp',
      },
      districts: {
        repo: 'wushangbin/MGFN',
        commit: 'ecf0856386ca74908f1f12fbd0fc0e665ebcf70c',
        path: 'Data/mh_cd.json',
      },
    },
    sha256: 'a4e8ecad75ab70846e21632e331d09cbaec01921d2c7708729f943186f42929e',
  },
];

/** Every source file a recipe reads, each once. */
export function sourcesOf(recipe: Recipe): SourceFile[] {
  switch (recipe.kind) {
    case 'copy':
      return [recipe.from];
    case 'nycAdjacency':
      return [recipe.neighbors];
    case 'nycRegions':
      return [recipe.shp, recipe.districts];
    case 'chicagoRegions':
      return [recipe.areas];
    case 'descriptions':
      return [recipe.prompts];
  }
}
