import { BINARY_CHECKS } from './binary-checks';
import { OTHER_CHECKS } from './other-checks';
import { TEXT_CHECKS } from './text-checks';
import type { ServiceCheck } from './types';

/** Every service check by id: what `--service <id>` and a monitor's `check` name. */
export const SERVICE_CHECKS: Readonly<Record<string, ServiceCheck>> = {
  ...TEXT_CHECKS,
  ...BINARY_CHECKS,
  ...OTHER_CHECKS,
};
