/** Arena block size; an entry (at most 753 bytes) never straddles two blocks. */
const CHUNK_SHIFT = 13;
const CHUNK_BYTES = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_BYTES - 1;
/** Ids are spread over this many shards (top hash bits), each with its own arena and table. */
const SHARD_BITS = 8;
const SHARDS = 1 << SHARD_BITS;
/** A table slot holds (arena offset + 1) << 8 | an 8-bit tag of the hash, so most probes need no arena read. */
const TAG_BITS = 8;
/** Largest arena of one shard the slots can address: 16 MiB, 4 GiB over all shards. */
const MAX_SHARD_BYTES = 2 ** (32 - TAG_BITS) - 1;
const MAX_LOAD = 0.8;
/**
 * Small tables double (fewer rebuilds, little memory); large ones grow by half. A smaller step
 * keeps less spare room but leaves more dead tables behind, and those wait for V8's full
 * collection: adding 7.4 million ids peaked at 234 MiB RSS with 1.3, 224 with 1.5, 270 with 2.
 */
const SMALL_SLOTS = 1 << 12;
const GROWTH = 1.5;
const MIN_SLOTS = 8;
/** First byte of the encoding of an id with non-ASCII characters; never in an ASCII encoding. */
const RAW_MARKER = 0xff;
/** Longest id accepted, in UTF-16 code units (the validator passes at most 64 characters). */
const MAX_ID_UNITS = 250;

/** The ids whose top hash bits pick this shard: their bytes, and the table over them. */
interface Shard {
  /** Arena blocks, filled in order; `ends[i]` bytes of `chunks[i]` are used. */
  readonly chunks: Uint8Array[];
  readonly ends: number[];
  slots: Int32Array;
  count: number;
}

/**
 * The order ids seen so far in one file, exact and compact. Each id is stored once, in the arena
 * of fixed-size blocks of one of 256 shards: an ASCII id with each pair of consecutive digits
 * packed into one byte (`ORD-000001234` takes 9), any other id as a marker byte and its UTF-16
 * code units in generalized UTF-8 (lone surrogates too, so distinct ids never encode alike), behind
 * a one- or two-byte length. Each shard indexes its ids with an open-addressing table of 32-bit
 * slots (arena offset and 8 hash bits); when a table is full it is rebuilt, larger, by reading its
 * arena in order, after dropping the old one. So no block is ever copied, growth never holds two
 * copies of anything large, and a 1 GiB file's ids take about 10 + 6 bytes each, where a
 * `Set<string>` needs 50-80 and keeps parser chunks alive through sliced strings.
 */
export class OrderIdSet {
  private readonly shards: Shard[] = [];
  private count = 0;
  private readonly scratch = new Uint8Array(3 + 3 * MAX_ID_UNITS);
  /** Tag and slot hash of the last `hash` call. */
  private tag = 0;
  private slotHash = 0;

  constructor() {
    for (let i = 0; i < SHARDS; i++) this.shards.push({ chunks: [], ends: [], slots: new Int32Array(MIN_SLOTS), count: 0 });
  }

  /** Number of distinct ids added. */
  get size(): number {
    return this.count;
  }

  /** Adds the id; `false` when it was already there. Ids must be at most 250 UTF-16 code units. */
  add(id: string): boolean {
    if (id.length > MAX_ID_UNITS) throw new RangeError(`order id of ${id.length} characters is longer than ${MAX_ID_UNITS}`);
    const length = this.encode(id);
    const shard = this.shards[this.hash(this.scratch, 0, length)];
    const tag = this.tag;
    const slots = shard.slots;
    const size = slots.length;
    let slot = this.slotHash % size;
    for (;;) {
      const stored = slots[slot];
      if (stored === 0) break;
      if ((stored & 0xff) === tag && this.equals(shard, (stored >>> TAG_BITS) - 1, length)) return false;
      slot = slot + 1 === size ? 0 : slot + 1;
    }
    slots[slot] = ((this.store(shard, length) + 1) << TAG_BITS) | tag;
    this.count++;
    if (++shard.count > size * MAX_LOAD) this.rebuild(shard);
    return true;
  }

  /** Encodes `id` into `scratch` (length header included); returns the byte count. */
  private encode(id: string): number {
    const scratch = this.scratch;
    const units = id.length;
    // The body goes after a one-byte header; a body of 128 bytes or more is moved for a two-byte one.
    let at = 1;
    let ascii = true;
    for (let i = 0; i < units; i++) {
      const code = id.charCodeAt(i);
      if (code >= 0x80) {
        ascii = false;
        break;
      }
      const next = i + 1 < units ? id.charCodeAt(i + 1) - 48 : -1;
      if (code >= 48 && code <= 57 && next >= 0 && next <= 9) {
        scratch[at++] = 0x80 + (code - 48) * 10 + next;
        i++;
      } else scratch[at++] = code;
    }
    if (!ascii) {
      at = 1;
      scratch[at++] = RAW_MARKER;
      for (let i = 0; i < units; i++) {
        let code = id.charCodeAt(i);
        if (code < 0x80) scratch[at++] = code;
        else if (code < 0x800) {
          scratch[at++] = 0xc0 | (code >> 6);
          scratch[at++] = 0x80 | (code & 0x3f);
        } else {
          const next = i + 1 < units ? id.charCodeAt(i + 1) : 0;
          if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
            scratch[at++] = 0xf0 | (code >> 18);
            scratch[at++] = 0x80 | ((code >> 12) & 0x3f);
            i++;
          } else scratch[at++] = 0xe0 | (code >> 12);
          scratch[at++] = 0x80 | ((code >> 6) & 0x3f);
          scratch[at++] = 0x80 | (code & 0x3f);
        }
      }
    }
    const body = at - 1;
    if (body < 0x80) {
      scratch[0] = body;
      return at;
    }
    scratch.copyWithin(2, 1, at);
    scratch[0] = 0x80 | (body & 0x7f);
    scratch[1] = body >> 7;
    return at + 1;
  }

  /** Hashes an encoded entry: returns its shard, and leaves its tag and slot hash in `tag` and `slotHash`. */
  private hash(bytes: Uint8Array, start: number, length: number): number {
    let hash = 0x811c9dc5;
    for (let i = start, end = start + length; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
    hash = mix(hash);
    this.tag = (hash >>> (32 - SHARD_BITS - TAG_BITS)) & 0xff;
    // Non-negative 31-bit values stay small integers: no heap numbers on this path.
    this.slotHash = mix(hash ^ 0x9e3779b9) & 0x7fffffff;
    return hash >>> (32 - SHARD_BITS);
  }

  private equals(shard: Shard, offset: number, length: number): boolean {
    const chunk = shard.chunks[offset >>> CHUNK_SHIFT];
    const at = offset & CHUNK_MASK;
    const scratch = this.scratch;
    for (let i = 0; i < length; i++) if (chunk[at + i] !== scratch[i]) return false;
    return true;
  }

  /** Appends the entry in `scratch` to the shard's arena; returns its offset there. */
  private store(shard: Shard, length: number): number {
    let last = shard.chunks.length - 1;
    if (last < 0 || shard.ends[last] + length > CHUNK_BYTES) {
      if ((last + 2) * CHUNK_BYTES > MAX_SHARD_BYTES) throw new RangeError(`more order ids than ${SHARDS * MAX_SHARD_BYTES} bytes hold`);
      shard.chunks.push(new Uint8Array(CHUNK_BYTES));
      shard.ends.push(0);
      last++;
    }
    const chunk = shard.chunks[last];
    const start = shard.ends[last];
    const scratch = this.scratch;
    for (let i = 0; i < length; i++) chunk[start + i] = scratch[i];
    shard.ends[last] = start + length;
    return last * CHUNK_BYTES + start;
  }

  /** Replaces the shard's table by a larger one, filled by reading the arena in order. */
  private rebuild(shard: Shard): void {
    const size = shard.slots.length < SMALL_SLOTS ? shard.slots.length * 2 : Math.ceil(shard.slots.length * GROWTH);
    shard.slots = new Int32Array(0); // the old table can go before the new one is allocated
    const slots = new Int32Array(size);
    for (let c = 0; c < shard.chunks.length; c++) {
      const chunk = shard.chunks[c];
      const end = shard.ends[c];
      for (let at = 0; at < end; ) {
        const first = chunk[at];
        const length = first < 0x80 ? 1 + first : 2 + ((first & 0x7f) | (chunk[at + 1] << 7));
        this.hash(chunk, at, length);
        let slot = this.slotHash % size;
        while (slots[slot] !== 0) slot = slot + 1 === size ? 0 : slot + 1;
        slots[slot] = ((c * CHUNK_BYTES + at + 1) << TAG_BITS) | this.tag;
        at += length;
      }
    }
    shard.slots = slots;
  }
}

/** MurmurHash3's finalizer: FNV's high bits are weak, and they pick the shard. */
function mix(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash;
}
