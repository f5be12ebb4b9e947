import type { MetadataItem } from "./metadata-item";
import { compareSequencers } from "./sequencer";
import { isFinalStatus } from "./types";

/** What to do with an event, given the item already recorded for its key. */
export type Delivery =
  /** Process the object: a new key, a newer version, or a retry of an unfinished attempt. */
  | { readonly action: "process"; readonly attempts: number }
  /** Already finished for this sequencer: only (re)send the status message. */
  | { readonly action: "republish"; readonly item: MetadataItem }
  /** An older event arriving late: change nothing. */
  | { readonly action: "ignore"; readonly recordedSequencer: string };

/**
 * Decides by sequencer, so a duplicate delivery or an out-of-order older event changes nothing.
 * Attempts count per object version: 1 for a new sequencer, one more for a retry of the same one.
 */
export function decideDelivery(recorded: MetadataItem | undefined, sequencer: string): Delivery {
  if (recorded === undefined || typeof recorded.Sequencer !== "string" || recorded.Sequencer === "") return { action: "process", attempts: 1 };
  const order = compareSequencers(sequencer, recorded.Sequencer);
  if (order < 0) return { action: "ignore", recordedSequencer: recorded.Sequencer };
  if (order > 0) return { action: "process", attempts: 1 };
  if (isFinalStatus(recorded.Status)) return { action: "republish", item: recorded };
  return { action: "process", attempts: (recorded.Attempts ?? 0) + 1 };
}
