/** What a page-wide key handler needs to know about the element a key was pressed on. */
export interface KeyTarget {
  tagName: string;
  isContentEditable?: boolean;
  getAttribute?: (name: string) => string | null;
}

/** Elements whose own Enter, Space, Backspace or arrows do something. */
const INTERACTIVE_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A', 'SUMMARY', 'OPTION']);

/** Roles of widgets that answer keys themselves (a custom button, a listbox, a tab...). */
const INTERACTIVE_ROLES = new Set([
  'button',
  'link',
  'checkbox',
  'radio',
  'switch',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'option',
  'tab',
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'slider',
  'spinbutton',
]);

/**
 * Whether a key pressed on this element belongs to the element (a text field, a select, a
 * button, a link, an editable region, a widget with an interactive role) rather than to a
 * page-wide shortcut such as "Enter fills the polygon". Page-wide handlers return early on it,
 * so Enter on a focused button presses that button and nothing else.
 */
export function keyBelongsToTarget(target: KeyTarget | null | undefined): boolean {
  if (!target || typeof target.tagName !== 'string') return false;
  if (INTERACTIVE_TAGS.has(target.tagName.toUpperCase())) return true;
  if (target.isContentEditable) return true;
  const role = target.getAttribute?.('role');
  return role !== null && role !== undefined && INTERACTIVE_ROLES.has(role.toLowerCase());
}

/**
 * Whether the element edits text (a field, a select, a text area, an editable region), whose
 * own Ctrl+Z undoes typing. Shortcuts that mean nothing to a button (Ctrl+Z undoing a stroke)
 * still run on one; only text entry keeps them.
 */
export function isTextEntry(target: KeyTarget | null | undefined): boolean {
  if (!target || typeof target.tagName !== 'string') return false;
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName.toUpperCase())) return true;
  return target.isContentEditable === true;
}
