import type { ProbeKind } from '../../../shared/probe';
import { httpProbe } from './http';
import { serviceProbe } from './service';
import { tcpProbe } from './tcp';
import { tlsProbe } from './tls';
import type { ProbeFn } from './types';

export const probes = {
  tcp: tcpProbe,
  tls: tlsProbe,
  http: httpProbe,
  service: serviceProbe,
} satisfies { [K in ProbeKind]: ProbeFn<K> };
