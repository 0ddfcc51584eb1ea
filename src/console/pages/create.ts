// The create wizard (the 1.5 plugin's steps). vic-machine-server's create (POST .../vch) is not served yet: until
// it is, this page says so instead of offering a form that cannot finish.
import { h, page } from '../dom.js';

export function createPage(): void {
  page('New virtual container host',
    h('p', {}, 'Creating a VCH from the console needs the server\'s create route, which is not available yet.'),
    h('p', {}, 'Meanwhile: ', h('code', {}, 'vic-machine create'), ' does it from a shell (docs/commands.md).'),
    h('p', {}, h('a', { href: '#/' }, 'Back to the list')));
}
