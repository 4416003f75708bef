import { stringify } from 'yaml';
import { CONTENT_FOLDERS, type SourceFile } from './catalog.ts';
import { parseYamlDocument } from './documents.ts';
import { error, warning, type Issue } from './issues.ts';
import { checkSchema } from './schema-check.ts';
import type { NodeGroupInput, NodeGroupsFileItem } from './schema/node-group.ts';
import { validateContent, type ValidateOptions } from './validate.ts';

/** What loading the infrastructure admins' file would change. */
export interface NodeGroupsPlan {
  /** Files to write (new or changed), with their full new text. */
  writes: SourceFile[];
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Node groups in content/ that the file no longer lists; they are kept. */
  missing: string[];
  issues: Issue[];
  /** True when the plan may be applied: the file is valid and the content stays valid with it. */
  ok: boolean;
}

const HEADER = '# Written by `z2jh-configurator load-node-groups`; hub admins cannot edit node groups.\n';

/** Renders one node group as the YAML file `load-node-groups` writes (stable key order). */
export function renderNodeGroup(item: NodeGroupInput): string {
  const out: Record<string, unknown> = { display_name: item.display_name };
  if (item.description !== undefined) out['description'] = item.description;
  out['node_selector'] = item.node_selector;
  if (item.tolerations !== undefined) out['tolerations'] = item.tolerations;
  if (item.capacity !== undefined) out['capacity'] = item.capacity;
  return HEADER + stringify(out, { lineWidth: 0 });
}

/**
 * Plans the update of content/node-groups/ from the infrastructure admins' JSON file: validates the file
 * (every problem with its JSON path and line), creates or updates one YAML file per slug, never deletes, and
 * validates the whole content tree with the change applied. Pure: the caller writes `writes` if `ok`.
 */
export function planNodeGroups(
  fileName: string,
  text: string,
  current: readonly SourceFile[],
  options: ValidateOptions = {},
): NodeGroupsPlan {
  const contentRoot = options.contentRoot ?? 'content';
  const plan: NodeGroupsPlan = {
    writes: [],
    created: [],
    updated: [],
    unchanged: [],
    missing: [],
    issues: [],
    ok: false,
  };
  const { document, issues } = parseYamlDocument(fileName, text);
  plan.issues.push(...issues);
  if (!document) return plan;
  const schemaIssues = checkSchema('nodeGroupsFile', document.data, document);
  plan.issues.push(...schemaIssues);
  if (schemaIssues.length > 0) return plan;
  const items = document.data as NodeGroupsFileItem[];
  const slugs = new Map<string, number>();
  items.forEach((item, index) => {
    const first = slugs.get(item.slug);
    if (first !== undefined) {
      const line = document.lineOf([index, 'slug']);
      plan.issues.push(
        error(
          'DuplicateId',
          { file: fileName, field: `[${index}].slug`, ...(line === undefined ? {} : { line }) },
          `The slug "${item.slug}" appears twice (items ${first} and ${index}).`,
          'give every node group its own slug.',
        ),
      );
    }
    slugs.set(item.slug, index);
  });
  if (plan.issues.length > 0) return plan;

  const folder = `${contentRoot}/${CONTENT_FOLDERS.nodeGroups}/`;
  const existing = new Map(
    current
      .filter((f) => f.path.startsWith(folder))
      .map((f) => [f.path.slice(folder.length).replace(/\.ya?ml$/, ''), f]),
  );
  for (const item of items) {
    const { slug, ...group } = item;
    const text = renderNodeGroup(group);
    const before = existing.get(slug);
    if (before && sameData(before.text, group)) {
      plan.unchanged.push(slug);
      continue;
    }
    (before ? plan.updated : plan.created).push(slug);
    plan.writes.push({ path: before?.path ?? `${folder}${slug}.yaml`, text });
  }
  plan.missing = [...existing.keys()].filter((slug) => !slugs.has(slug)).sort();
  for (const slug of plan.missing) {
    plan.issues.push(
      warning(
        'NodeGroupNotInFile',
        { file: `${folder}${slug}.yaml` },
        `The node group "${slug}" is not in ${fileName}; it was kept, because profiles may still use it.`,
        'remove it from the profiles that use it, then delete the file, if the cluster no longer has it.',
      ),
    );
  }
  const written = new Map(plan.writes.map((f) => [f.path, f]));
  const after = [...current.filter((f) => !written.has(f.path)), ...plan.writes];
  const result = validateContent(after, options);
  const errors = result.issues.filter((i) => i.severity === 'error');
  plan.issues.push(...errors);
  plan.ok = errors.length === 0;
  return plan;
}

/** True when a node-group file already holds this data (formatting and comments aside), so it is left alone. */
function sameData(text: string, group: NodeGroupInput): boolean {
  try {
    const { document } = parseYamlDocument('node-group.yaml', text);
    return document !== undefined && canonical(document.data) === canonical(group);
  } catch {
    return false;
  }
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
