/**
 * The node-port allocator: a port range split into a lower band kept for static requests and an
 * upper band that dynamic allocation tries first, starting at a random port (KEP-3668).
 */

/** Why a port could not be reserved; `message` is kube-apiserver's text. */
export class PortAllocationError extends Error {
  constructor(readonly reason: 'allocated' | 'not-in-range' | 'full', message: string) {
    super(message);
  }
}

/** Hands out ports of an inclusive range and takes them back. */
export class PortAllocator {
  private readonly used = new Set<number>();
  /** Size of the lower (static) band: min(max(16, size/32), 128). */
  readonly offset: number;

  constructor(readonly min: number, readonly max: number, private readonly random: () => number = Math.random) {
    const size = max - min + 1;
    this.offset = size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(size / 32)), 128);
  }

  /** The range as kube-apiserver prints it, e.g. `30000-32767`. */
  get range(): string {
    return `${this.min}-${this.max}`;
  }

  /** Tells whether a port is taken. */
  has(port: number): boolean {
    return this.used.has(port);
  }

  /** Reserves a given port; throws PortAllocationError when outside the range or taken. */
  allocate(port: number): void {
    if (port < this.min || port > this.max) {
      throw new PortAllocationError('not-in-range', `provided port is not in the valid range. The range of valid ports is ${this.range}`);
    }
    if (this.used.has(port)) throw new PortAllocationError('allocated', 'provided port is already allocated');
    this.used.add(port);
  }

  /** Reserves a free port, from the upper band first; throws PortAllocationError('full'). */
  allocateNext(): number {
    const port = this.pickNext();
    this.used.add(port);
    return port;
  }

  /** A port allocateNext could give (free and not in `besides`), without reserving it: what a dry run shows. */
  pickNext(besides: readonly number[] = []): number {
    const upper = this.scan(this.min + this.offset, this.max, besides);
    const port = upper ?? (this.offset > 0 ? this.scan(this.min, this.min + this.offset - 1, besides) : undefined);
    if (port === undefined) throw new PortAllocationError('full', 'range is full');
    return port;
  }

  /** Returns a port to the range (unknown ports are ignored). */
  release(port: number): void {
    this.used.delete(port);
  }

  /** Forgets every reservation. */
  clear(): void {
    this.used.clear();
  }

  /** How many ports are taken. */
  get size(): number {
    return this.used.size;
  }

  private scan(lo: number, hi: number, besides: readonly number[]): number | undefined {
    const span = hi - lo + 1;
    if (span <= 0) return undefined;
    const start = Math.floor(this.random() * span);
    for (let i = 0; i < span; i++) {
      const p = lo + ((start + i) % span);
      if (!this.used.has(p) && !besides.includes(p)) return p;
    }
    return undefined;
  }
}
