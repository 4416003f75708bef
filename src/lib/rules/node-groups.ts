import { error } from '../issues.ts';
import { parseCpu, parseKubernetesMemory } from '../quantities.ts';
import { locate, type Rule } from './context.ts';

/** Node-group capacities are valid Kubernetes quantities. */
export const checkNodeGroupCapacity: Rule = ({ catalog, issues }) => {
  for (const entry of catalog.nodeGroups) {
    const capacity = entry.data.capacity;
    if (!capacity) continue;
    if (capacity.cpu !== undefined && parseCpu(capacity.cpu) === undefined) {
      issues.push(
        error(
          'InvalidCpu',
          locate(entry, ['capacity', 'cpu']),
          `Node group "${entry.id}" has capacity.cpu "${String(capacity.cpu)}", which is not a CPU amount.`,
          'write cores as a number (3.92) or millicores ("3920m"), as kubectl shows under Allocatable.',
        ),
      );
    }
    if (capacity.memory !== undefined && parseKubernetesMemory(capacity.memory) === undefined) {
      issues.push(
        error(
          'InvalidMemory',
          locate(entry, ['capacity', 'memory']),
          `Node group "${entry.id}" has capacity.memory "${String(capacity.memory)}", which is not a Kubernetes quantity.`,
          'write it as kubectl shows under Allocatable, e.g. "15Gi" or "31760868Ki".',
        ),
      );
    }
  }
};
