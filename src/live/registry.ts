// The explicit list of live-state providers, one per source.
import type { CloudFormationTarget } from '../config.js';
import type { LiveProvider } from './provider.js';
import type { ReadSnapshotFile, SnapshotTarget } from './snapshot.js';

export interface LiveProviders {
  cloudformation: LiveProvider<CloudFormationTarget>;
  /** Per run: the snapshot is read through that run's GitHub client, from the default branch. */
  snapshot(readFile: ReadSnapshotFile): LiveProvider<SnapshotTarget>;
}
