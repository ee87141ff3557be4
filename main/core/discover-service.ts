// The window's discoveries, one registry per service: the handlers are made afresh for each HTTP
// call, so the registry cannot live in them, and the service itself need not know of it.

import { createDiscoveryJobs, type DiscoveryJobs } from './discover/jobs';
import type { PortwatchService } from './service';

const registries = new WeakMap<PortwatchService, DiscoveryJobs>();

export function discoveryOf(s: PortwatchService): DiscoveryJobs {
  let jobs = registries.get(s);
  if (!jobs) {
    jobs = createDiscoveryJobs();
    registries.set(s, jobs);
  }
  return jobs;
}
