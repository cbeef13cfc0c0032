// Two form widgets of our own: a date and time in the site's TIMEZONE (Decap's datetime
// widget shows the browser's zone or UTC), and topics as one comma-separated line that
// offers the archive's existing topics as you type.
const { h, createClass } = window;

export const Zeit = createClass({
  handleChange(event) {
    this.props.onChange(event.target.value);
  },
  render() {
    const { forID, value, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    return h('input', {
      id: forID, className: classNameWrapper, type: 'datetime-local', step: 1,
      value: value ? String(value).slice(0, 19) : '', onChange: this.handleChange,
      onFocus: setActiveStyle, onBlur: setInactiveStyle,
    });
  },
});

export function themen(topics) {
  return createClass({
    getInitialState() {
      const value = this.props.value;
      const list = value && value.toJS ? value.toJS() : (value || []);
      return { text: Array.isArray(list) ? list.join(', ') : String(list) };
    },
    handleChange(event) {
      const text = event.target.value;
      this.setState({ text });
      const list = text.split(',').map((t) => t.trim()).filter(Boolean);
      this.props.onChange(list);
    },
    render() {
      const { forID, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
      const { text } = this.state;
      // The datalist offers "what is typed so far, <topic>" for the topic being typed.
      const cut = text.lastIndexOf(',');
      const before = cut < 0 ? '' : `${text.slice(0, cut + 1).trimEnd()} `;
      const typed = text.slice(cut + 1).trim().toLowerCase();
      const taken = new Set(text.split(',').map((t) => t.trim().toLowerCase()));
      const offered = topics.filter((t) => !taken.has(t.toLowerCase())
        && (!typed || t.toLowerCase().startsWith(typed))).slice(0, 50);
      return h('div', null,
        h('input', {
          id: forID, className: classNameWrapper, type: 'text', value: text,
          list: `${forID}-themen`, autoComplete: 'off', onChange: this.handleChange,
          onFocus: setActiveStyle, onBlur: setInactiveStyle,
        }),
        h('datalist', { id: `${forID}-themen` },
          offered.map((t) => h('option', { key: t, value: `${before}${t}` }))));
    },
  });
}
