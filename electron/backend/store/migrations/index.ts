import type { Migration } from '../migrate';
import { initial } from './001-initial';

/** Append only: a released migration is never edited, a new one is added. */
export const MIGRATIONS: readonly Migration[] = [initial];
