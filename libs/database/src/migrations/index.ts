import { Foundation1763900000000 } from './1763900000000-foundation';

/** Applied in this order; each has a working `down`. */
export const MIGRATIONS = [Foundation1763900000000];
