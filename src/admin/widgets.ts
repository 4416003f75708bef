import { stringify } from 'yaml';
import { SLUG_PATTERN } from '../lib/schema/common.ts';
import type { ControlProps, DecapWindow } from './decap.ts';

const SLUG = new RegExp(SLUG_PATTERN);

/**
 * The id of an entry: typed once when the entry is created (it becomes the file name), or left empty to take it
 * from the display name; shown read-only after, because users' saved choices refer to it.
 */
export function createIdWidget({ h, createClass }: DecapWindow): unknown {
  return createClass({
    // Empty is fine: the save takes the id from the display name (src/admin/cms.ts). The entry this control
    // is given is not kept current by Decap, so the name cannot be checked here.
    isValid(this: { props: ControlProps }) {
      if (!this.props.entry.get('newRecord')) return true;
      const value = typeof this.props.value === 'string' ? this.props.value.trim() : '';
      return value === '' || SLUG.test(value)
        ? true
        : {
            error: {
              message: 'Type an id of lower-case letters, digits and single dashes, e.g. "scipy-2024".',
            },
          };
    },
    render(this: { props: ControlProps }) {
      const { entry, value, onChange, forID, classNameWrapper } = this.props;
      if (!entry.get('newRecord')) {
        return h(
          'div',
          { className: classNameWrapper, id: forID, 'data-testid': 'entry-id' },
          String(entry.get('slug') ?? ''),
        );
      }
      return h('input', {
        id: forID,
        className: classNameWrapper,
        type: 'text',
        value: typeof value === 'string' ? value : '',
        // Decap re-renders a control only when its own value changes, so this cannot follow the display name.
        placeholder: 'empty: taken from the display name',
        onChange: (event: { target: { value: string } }) => onChange(event.target.value),
      });
    },
  });
}

/** Shows a value without any way to change it (node groups are the infrastructure admins' to change). */
export function createReadonlyWidget({ h, createClass }: DecapWindow): unknown {
  return createClass({
    render(this: { props: ControlProps }) {
      const { value, forID, classNameWrapper } = this.props;
      const plain =
        value && typeof (value as { toJS?: unknown }).toJS === 'function'
          ? (value as { toJS(): unknown }).toJS()
          : value;
      const text =
        plain === undefined || plain === null
          ? '—'
          : typeof plain === 'object'
            ? stringify(plain).trim()
            : String(plain);
      return h(
        'pre',
        {
          id: forID,
          className: classNameWrapper,
          'data-readonly': 'true',
          style: { whiteSpace: 'pre-wrap' },
        },
        text,
      );
    },
  });
}

/**
 * "Sizes from node capacity": tick node groups (and set a floor) and see the sizes that will be written; on save
 * they replace the profile's sizes. The field itself is never written to the file.
 */
export function createSizeGeneratorWidget(
  { h, createClass }: DecapWindow,
  source: {
    nodeGroups(): Record<string, { display_name?: string; capacity?: unknown }>;
    preview(data: Record<string, unknown>): {
      data: Record<string, unknown>;
      problems: string[];
      removedKeys: string[];
    };
  },
): unknown {
  return createClass({
    render(this: { props: ControlProps }) {
      const { value, onChange, forID, classNameWrapper, entry } = this.props;
      const current = (
        value && typeof (value as { toJS?: unknown }).toJS === 'function'
          ? (value as { toJS(): unknown }).toJS()
          : value
      ) as { node_groups?: string[]; floor?: string } | undefined;
      const picked = current?.node_groups ?? [];
      const floor = current?.floor ?? '';
      const update = (next: { node_groups: string[]; floor: string }) =>
        onChange(
          next.node_groups.length > 0
            ? { node_groups: next.node_groups, ...(next.floor ? { floor: next.floor } : {}) }
            : undefined,
        );
      const groups = Object.entries(source.nodeGroups());
      const data = ((entry.get('data') as { toJS(): Record<string, unknown> } | undefined)?.toJS() ??
        {}) as Record<string, unknown>;
      const plan = picked.length > 0 ? source.preview(data) : undefined;
      const sizes =
        (plan?.data['sizes'] as { display_name: string }[] | undefined) ??
        (plan?.data['options'] as { key: string; choices: { display_name: string }[] }[] | undefined)?.find(
          (o) => o.key === 'size',
        )?.choices ??
        [];
      return h(
        'div',
        { className: classNameWrapper, id: forID, 'data-testid': 'size-generator' },
        h(
          'div',
          null,
          ...groups.map(([id, group]) =>
            h(
              'label',
              { key: id, style: { display: 'block' } },
              h('input', {
                type: 'checkbox',
                name: `size-generator-${id}`,
                checked: picked.includes(id),
                onChange: (event: { target: { checked: boolean } }) =>
                  update({
                    node_groups: event.target.checked ? [...picked, id] : picked.filter((p) => p !== id),
                    floor,
                  }),
              }),
              ` ${group.display_name ?? id}${group.capacity ? '' : ' (no capacity stated)'}`,
            ),
          ),
        ),
        h(
          'label',
          { style: { display: 'block', marginTop: '6px' } },
          'Smallest memory: ',
          h('input', {
            type: 'text',
            name: 'size-generator-floor',
            value: floor,
            placeholder: '1G',
            onChange: (event: { target: { value: string } }) =>
              update({ node_groups: picked, floor: event.target.value }),
          }),
        ),
        plan
          ? plan.problems.length > 0
            ? h('p', { style: { color: '#a94442' } }, plan.problems.join(' '))
            : h(
                'div',
                { 'data-testid': 'size-generator-result' },
                h('p', null, `On save, these ${sizes.length} sizes replace the profile's sizes:`),
                h('ul', null, ...sizes.map((s, i) => h('li', { key: i }, s.display_name))),
                plan.removedKeys.length > 0
                  ? h(
                      'p',
                      { style: { color: '#8a6d3b' } },
                      `Users who saved ${plan.removedKeys.join(', ')} will be asked to choose again.`,
                    )
                  : null,
              )
          : null,
      );
    },
  });
}
