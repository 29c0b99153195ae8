/**
 * The only component that writes HTML it did not build: a document's reading view, produced by
 * @carepact/rendering from a template (every value of the resident file escaped there, tested in
 * libs/rendering), or a page part this view layer rendered earlier with renderFragment and the
 * console's page cache kept (console/cache). Nothing typed by a user may reach `html` unescaped.
 */
export function TrustedHtml(props: { html: string; class?: string; id?: string; role?: 'region' | 'document'; 'aria-label'?: string; tabIndex?: number }) {
  const { html, ...rest } = props;
  return <div {...rest} dangerouslySetInnerHTML={{ __html: html }} />;
}
