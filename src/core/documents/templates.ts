/**
 * What the document builders need from a template engine: a named template (a French text with
 * placeholders, kept in templates/) applied to plain data gives document markup. Templates are
 * ours; every value of the context is data and is escaped for the markup. The Handlebars engine
 * (src/adapters/handlebars/) implements it; the builders never know which engine runs.
 */
export interface TemplateRenderer {
  /** Markup of the template `name` (templates/<name>.md.hbs) applied to `context`. */
  render(name: string, context: object): string;
}
