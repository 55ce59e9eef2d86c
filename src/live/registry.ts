// The explicit list of live-state providers, one per target kind.
import type { CloudFormationTarget } from '../config.js';
import type { LiveProvider } from './provider.js';

export interface LiveProviders {
  cloudformation: LiveProvider<CloudFormationTarget>;
}
