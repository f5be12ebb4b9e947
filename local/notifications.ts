import { randomBytes } from "node:crypto";
import type { S3Event } from "aws-lambda";
import { triggerMatches, type BucketPlan, type TriggerPlan } from "./provision";
import { type ObjectCreated, s3Event, SequencerClock } from "./s3-event";

/** One object write as the bucket saw it (`versionId` is generated per write on a versioned bucket: s3rver keeps no versions). */
export interface ObjectWrite extends ObjectCreated {
  /** `ObjectCreated:Put`, `ObjectCreated:Post`, `ObjectCreated:Copy`. */
  readonly eventName: string;
  /** The notification sent for it, or undefined when no trigger matches. */
  readonly event?: S3Event;
}

/** What s3rver emits after a write (its own event shape, one record). */
interface S3rverRecord {
  readonly eventName?: string;
  readonly s3?: { readonly bucket?: { readonly name?: string }; readonly object?: { readonly key?: string; readonly size?: number; readonly eTag?: string } };
}

/** Settings of {@link BucketNotifications}. */
export interface BucketNotificationsProps {
  readonly buckets: readonly BucketPlan[];
  readonly triggers: readonly TriggerPlan[];
  readonly region: string;
  /** Receives each matching notification (the async invoke queue). */
  readonly send: (event: S3Event) => void;
  /** Looks up an ETag when s3rver's event has none (copies). */
  readonly eTagOf: (bucket: string, key: string) => Promise<string>;
}

/**
 * The bucket notification configuration: turns every write s3rver reports into an S3 event
 * notification as S3 sends it (key form-URL-encoded, eTag, size, a per-key monotonic sequencer, a
 * version id on versioned buckets) and sends it when a trigger's events and filters match.
 */
export class BucketNotifications {
  private readonly clock = new SequencerClock();
  private readonly writes = new Map<string, ObjectWrite>();
  private held: S3Event[] | undefined;

  constructor(private readonly props: BucketNotificationsProps) {}

  /** Handles one s3rver event; returns the write it recorded, if any. */
  async onS3rverEvent(raw: unknown): Promise<ObjectWrite | undefined> {
    const record = (raw as { Records?: S3rverRecord[] } | undefined)?.Records?.[0];
    const eventName = record?.eventName ?? "";
    const bucket = record?.s3?.bucket?.name;
    const key = record?.s3?.object?.key;
    if (!eventName.startsWith("ObjectCreated:") || !bucket || key === undefined) return undefined;
    // Sequencer and version are taken synchronously, in the order s3rver stored the writes.
    const sequencer = this.clock.next();
    const versioned = this.props.buckets.find((b) => b.name === bucket)?.versioned ?? false;
    const versionId = versioned ? randomBytes(24).toString("base64url") : undefined;
    const id = `${bucket}/${key}`;
    const pending = { bucket, key, eventName, sequencer, versionId, size: record?.s3?.object?.size ?? 0, eTag: "" };
    this.writes.set(id, pending);
    const eTag = record?.s3?.object?.eTag ?? (await this.props.eTagOf(bucket, key));
    const matches = this.props.triggers.some((t) => triggerMatches(t, bucket, key, eventName));
    const event = matches
      ? s3Event({ bucket, key, size: pending.size, eTag, versionId, sequencer, eventName, region: this.props.region })
      : undefined;
    const write: ObjectWrite = { ...pending, eTag, event };
    if (this.writes.get(id) === pending) this.writes.set(id, write);
    if (event) {
      if (this.held) this.held.push(event);
      else this.props.send(event);
    }
    return write;
  }

  /** The latest write of a key seen so far. */
  lastWrite(bucket: string, key: string): ObjectWrite | undefined {
    return this.writes.get(`${bucket}/${key}`);
  }

  /** Holds notifications instead of sending them (to deliver them by hand, e.g. out of order). */
  hold(): void {
    this.held ??= [];
  }

  /** Stops holding and returns the held notifications, unsent. */
  release(): S3Event[] {
    const held = this.held ?? [];
    this.held = undefined;
    return held;
  }
}
