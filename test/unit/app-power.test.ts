import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Electron mocked at its boundary: powerMonitor is an emitter the test fires, net.isOnline a flag.
const os = vi.hoisted(() => ({
  online: true,
  powerMonitor: undefined as unknown as import('node:events').EventEmitter,
}));
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  os.powerMonitor = new Emitter();
  const net = { isOnline: () => os.online };
  return { default: { powerMonitor: os.powerMonitor, net }, powerMonitor: os.powerMonitor, net };
});

const { watchPower } = await import('../../main/app/power');

function target() {
  return { suspend: vi.fn(), resume: vi.fn(), onNetworkChange: vi.fn() };
}

afterEach(() => {
  vi.useRealTimers();
  os.online = true;
});

describe('power and network events', () => {
  it('suspends the engine when the machine sleeps and resumes it when it wakes; a locked screen is no sleep', () => {
    const engine = target();
    const dispose = watchPower(engine);
    os.powerMonitor.emit('lock-screen');
    expect(engine.suspend).not.toHaveBeenCalled();
    os.powerMonitor.emit('suspend');
    expect(engine.suspend).toHaveBeenCalledOnce();
    os.powerMonitor.emit('resume');
    expect(engine.resume).toHaveBeenCalledOnce();
    dispose();
  });

  it('stops listening when disposed', () => {
    vi.useFakeTimers();
    const engine = target();
    const emitter: EventEmitter = os.powerMonitor;
    const before = emitter.listenerCount('suspend') + emitter.listenerCount('resume');
    const dispose = watchPower(engine, { pollMs: 1000 });
    dispose();
    expect(emitter.listenerCount('suspend') + emitter.listenerCount('resume')).toBe(before);
    os.powerMonitor.emit('suspend');
    os.online = false;
    vi.advanceTimersByTime(5000);
    expect(engine.suspend).not.toHaveBeenCalled();
    expect(engine.onNetworkChange).not.toHaveBeenCalled();
  });

  it('tells the engine when the OS loses and regains the network, once per change', () => {
    vi.useFakeTimers();
    const engine = target();
    const dispose = watchPower(engine, { pollMs: 1000 });
    vi.advanceTimersByTime(3000);
    expect(engine.onNetworkChange).not.toHaveBeenCalled();
    os.online = false;
    vi.advanceTimersByTime(3000);
    expect(engine.onNetworkChange.mock.calls).toEqual([[false]]);
    os.online = true;
    vi.advanceTimersByTime(1000);
    expect(engine.onNetworkChange.mock.calls).toEqual([[false], [true]]);
    dispose();
  });

  it('says so at once when the app starts without a network', () => {
    os.online = false;
    const engine = target();
    const dispose = watchPower(engine);
    expect(engine.onNetworkChange.mock.calls).toEqual([[false]]);
    dispose();
  });
});
