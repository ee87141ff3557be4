import { dialogue } from './dialogue';
import { dns } from './dns';
import { elasticsearch, solr } from './search';
import type { ServiceCheck } from './types';

/** Checks that are neither one line protocol nor one binary protocol: dialogue-as-data, DNS, search over HTTP. */
export const OTHER_CHECKS: Record<string, ServiceCheck> = { dialogue, dns, elasticsearch, solr };
