// Renders the texts in templates/: {{name}} is replaced by a value; {{#name}}...{{/name}} is kept only when the value
// is set. Deliberately tiny: the templates are our own, and values are inserted as they are.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/cli/template.js (or src/cli/template.ts under jest): the package root is two levels up.
const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

export function renderTemplate(text: string, values: Readonly<Record<string, string | undefined>>): string {
  return text
    .replace(/\{\{#(\w+)\}\}\n?([\s\S]*?)\{\{\/\1\}\}\n?/g, (_m, name: string, body: string) => (values[name] ? body : ''))
    .replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
      const v = values[name];
      if (v === undefined) throw new Error(`template value "${name}" is missing`);
      return v;
    });
}

/** The single executable (scripts/build-sea.mjs) carries templates/ inside itself: there is no package folder. */
declare const VIC_MACHINE_EMBEDDED_TEMPLATES: Readonly<Record<string, string>> | undefined;

export function renderTemplateFile(name: string, values: Readonly<Record<string, string | undefined>>): string {
  const embedded = typeof VIC_MACHINE_EMBEDDED_TEMPLATES === 'undefined' ? undefined : VIC_MACHINE_EMBEDDED_TEMPLATES[name];
  return renderTemplate(embedded ?? fs.readFileSync(path.join(templatesDir, name), 'utf8'), values);
}
