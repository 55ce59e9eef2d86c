// The explicit list of live-state providers, one per source.
import type { CloudFormationTarget } from '../config-types.js';
import type { CloudFormationOptInReader } from './cloudformation-opt-in.js';
import type { ReferenceSource } from '../references/read-live-references.js';
import type { LiveProvider } from './provider.js';
import type { ReadSnapshotFile, SnapshotTarget } from './snapshot.js';
import type { TerraformStateSource } from './terraform-state/index.js';

export interface LiveProviders {
  cloudformation: LiveProvider<CloudFormationTarget>;
  /** Per run: the snapshot is read through that run's GitHub client, from the default branch. */
  snapshot(readFile: ReadSnapshotFile): LiveProvider<SnapshotTarget>;
  /** Terraform live source B: the state in S3, then Cloud Control. (Source A, the plan, is read through GitHub.) */
  terraformState: Pick<TerraformStateSource, 'read' | 'findUnmanaged'>;
  /** CloudFormation's opt-in reads (`undeclared`, `changeSet`); without it, a target that opts in is "not checked". */
  cloudformationOptIn?: Pick<CloudFormationOptInReader, 'readUndeclared' | 'readChangeSet'>;
  /** Look-ups of the infrastructure code names (src/references); answers cached per account and region. */
  references?: Pick<ReferenceSource, 'lookUp'>;
}
