import { Fragment, escapeHtml, h, type Children, type Html } from './html';

const html = (node: Html) => node.value;

describe('the JSX string renderer', () => {
  it('escapes text and attribute values, so markup in data stays text', () => {
    const name = '<script>alert("x")</script> & co';
    expect(html(<p title={name}>{name}</p>)).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p>',
    );
    expect(escapeHtml('plain text')).toBe('plain text');
  });

  it('nests rendered markup as it is, without escaping it twice', () => {
    expect(
      html(
        <ul>
          <li>a &amp; b</li>
        </ul>,
      ),
    ).toBe('<ul><li>a &amp; b</li></ul>');
  });

  it('writes attributes as HTML spells them and leaves out the ones switched off', () => {
    expect(
      html(
        <input
          className="x"
          tabIndex={-1}
          maxLength={32}
          value=""
          required
          disabled={false}
          min={undefined}
        />,
      ),
    ).toBe('<input class="x" tabindex="-1" maxlength="32" value="" required/>');
    expect(html(<label htmlFor="f">F</label>)).toBe('<label for="f">F</label>');
  });

  it('closes void elements itself and refuses to give them content', () => {
    expect(html(<br />)).toBe('<br/>');
    expect(() => h('br', null, 'text')).toThrow(TypeError);
  });

  it('renders lists, numbers and nothing for null, undefined and booleans', () => {
    const items = [1, 2];
    expect(
      html(
        <ol>
          {items.map((n) => (
            <li>{n}</li>
          ))}
          {0}
          {null}
          {undefined}
          {false}
          {true}
          {[['a', ['b']]]}
        </ol>,
      ),
    ).toBe('<ol><li>1</li><li>2</li>0ab</ol>');
  });

  it('passes children to components, and renders nothing for a component that returns null', () => {
    function Box(props: { label: string; children?: Children }) {
      return (
        <div aria-label={props.label}>
          <>{props.children}</>
        </div>
      );
    }
    function Nothing() {
      return null;
    }
    expect(
      html(
        <Box label="b">
          one <b>two</b>
          <Nothing />
        </Box>,
      ),
    ).toBe('<div aria-label="b">one <b>two</b></div>');
    expect(html(<Fragment>{'<x>'}</Fragment>)).toBe('&lt;x&gt;');
  });

  it('refuses what it cannot render safely: odd attribute names, objects, functions', () => {
    expect(() => h('a', { 'href"onclick': 'x' })).toThrow('invalid attribute name');
    expect(() => h('a', { title: { toString: () => 'x' } })).toThrow(TypeError);
    expect(() => h('p', null, () => 'x')).toThrow('cannot render a function');
    expect(() => h('p', null, { value: '<b>' })).toThrow(TypeError);
  });
});
