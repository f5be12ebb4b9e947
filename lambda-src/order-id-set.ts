const CHUNK_BYTES = 1 << 22;
const MAX_LOAD = 0.75;

/**
 * The order ids seen so far in one file, exact and compact: each id is stored once as UTF-8 in
 * large shared buffers (about 2 + length bytes) and indexed by an open-addressing table of 32-bit
 * offsets, about 20 bytes per id in all. A `Set<string>` needs 50-80 bytes per id and keeps parser
 * chunks alive through sliced strings; this one keeps a 2 GiB file's ids in memory.
 */
export class OrderIdSet {
  private readonly chunks: Buffer[] = [];
  private used = CHUNK_BYTES;
  private slots = new Uint32Array(1 << 12);
  private count = 0;
  private readonly scratch = Buffer.allocUnsafe(4 * 256);

  /** Number of distinct ids added. */
  get size(): number {
    return this.count;
  }

  /** Adds the id; `false` when it was already there. Ids must be at most 250 characters (the validator passes at most 64). */
  add(id: string): boolean {
    if (id.length > 250) throw new RangeError(`order id of ${id.length} characters is longer than 250`);
    const length = this.scratch.write(id, 0, "utf8");
    let hash = 0x811c9dc5;
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ this.scratch[i], 0x01000193);
    const size = this.slots.length;
    for (let slot = (hash >>> 0) % size; ; slot = slot + 1 === size ? 0 : slot + 1) {
      const stored = this.slots[slot];
      if (stored === 0) break;
      if (this.equals(stored - 1, length)) return false;
    }
    const offset = this.store(length);
    this.insert(this.slots, hash >>> 0, offset + 1);
    this.count++;
    if (this.count > this.slots.length * MAX_LOAD) this.grow();
    return true;
  }

  private equals(offset: number, length: number): boolean {
    const chunk = this.chunks[Math.floor(offset / CHUNK_BYTES)];
    const at = offset % CHUNK_BYTES;
    if ((chunk[at] | (chunk[at + 1] << 8)) !== length) return false;
    for (let i = 0; i < length; i++) if (chunk[at + 2 + i] !== this.scratch[i]) return false;
    return true;
  }

  private store(length: number): number {
    if (this.used + 2 + length > CHUNK_BYTES) {
      this.chunks.push(Buffer.allocUnsafe(CHUNK_BYTES));
      this.used = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1];
    const offset = (this.chunks.length - 1) * CHUNK_BYTES + this.used;
    chunk[this.used] = length & 0xff;
    chunk[this.used + 1] = length >>> 8;
    this.scratch.copy(chunk, this.used + 2, 0, length);
    this.used += 2 + length;
    return offset;
  }

  private insert(slots: Uint32Array, hash: number, value: number): void {
    const size = slots.length;
    let slot = hash % size;
    while (slots[slot] !== 0) slot = slot + 1 === size ? 0 : slot + 1;
    slots[slot] = value;
  }

  private hashAt(offset: number): number {
    const chunk = this.chunks[Math.floor(offset / CHUNK_BYTES)];
    const at = offset % CHUNK_BYTES;
    let hash = 0x811c9dc5;
    const length = chunk[at] | (chunk[at + 1] << 8);
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ chunk[at + 2 + i], 0x01000193);
    return hash >>> 0;
  }

  private grow(): void {
    // x1.5 rather than x2: at millions of ids the table is tens of MiB, and the old one lives on
    // while the new one fills.
    const next = new Uint32Array(Math.floor(this.slots.length * 1.5));
    for (const value of this.slots) if (value !== 0) this.insert(next, this.hashAt(value - 1), value);
    this.slots = next;
  }
}
