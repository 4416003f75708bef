import { stringify } from 'yaml';
import { SLUG_PATTERN } from '../lib/schema/common.ts';
import type { ControlProps, DecapWindow } from './decap.ts';

const SLUG = new RegExp(SLUG_PATTERN);

/**
 * The id of an entry: typed once when the entry is created (it becomes the file name), shown read-only after,
 * because users' saved choices refer to it.
 */
export function createIdWidget({ h, createClass }: DecapWindow): unknown {
  return createClass({
    isValid(this: { props: ControlProps }) {
      if (!this.props.entry.get('newRecord')) return true;
      const value = typeof this.props.value === 'string' ? this.props.value : '';
      return SLUG.test(value)
        ? true
        : {
            error: {
              message: 'Type an id: lower-case letters, digits and single dashes, e.g. "scipy-2024".',
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
        placeholder: 'e.g. scipy-2024',
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
