import { randomBytes } from 'node:crypto';
import { ProbeFailure } from '../failure';
import { printable } from './conversation';
import type { ServiceCheck } from './types';

const WANTED = 'a CONNACK from MQTT';

/** CONNECT, MQTT 3.1.1: clean session, no credentials, keepalive 10 s, the given client id. */
function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 10]);
  const rest = Buffer.concat([variable, Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  // The remaining length is a varint; this packet is always shorter than 128 bytes.
  return Buffer.concat([Buffer.from([0x10, rest.length]), rest]);
}

const DISCONNECT = Buffer.from([0xe0, 0]);

/** CONNACK return codes of MQTT 3.1.1 (section 3.2.2.3). */
const REFUSALS: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

/** A CONNACK is 4 bytes (0x20, remaining length 2, flags, return code); anything else is taken as it came. */
const answerLength = (b: Buffer): number | undefined => (b[0] !== 0x20 ? b.length : b.length >= 4 ? 4 : undefined);

/**
 * CONNECT without credentials -> CONNACK. Accepted: the broker lets anonymous clients in (the
 * check then says DISCONNECT). "Not authorized" or "bad user name or password": alive,
 * authentication required. A broker that says it is unavailable fails.
 */
export const mqtt: ServiceCheck = {
  id: 'mqtt',
  name: 'MQTT CONNECT',
  talk: async (conv) => {
    conv.phase = 'response';
    conv.send(connectPacket(`portwatch-${randomBytes(6).toString('hex')}`));
    const ack = await conv.read(answerLength, WANTED);
    if (ack.length !== 4 || ack[0] !== 0x20 || ack[1] !== 2)
      throw new ProbeFailure('protocol', 'response', `expected ${WANTED}, got "${printable(ack)}"`);
    const code = ack[3] ?? 0;
    if (code === 0) {
      conv.send(DISCONNECT);
      return { detail: 'connection accepted' };
    }
    const words = REFUSALS[code];
    if (code === 4 || code === 5)
      return { detail: `alive, authentication required (${words})`, facts: { auth: 'required' } };
    if (words && code !== 3) return { detail: `alive, refused the connection: ${words} (CONNACK ${code})` };
    throw new ProbeFailure(
      'protocol',
      'response',
      `the MQTT broker refused the connection: ${words ?? 'unknown return code'} (CONNACK ${code})`,
    );
  },
};
