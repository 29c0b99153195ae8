import type { ComponentChildren } from 'preact';

export interface HtmlDocumentProps {
  /** The page's own title; « — CarePact » is appended (WCAG 2.4.2). */
  title: string;
  stylesheets?: string[];
  scripts?: string[];
  /**
   * A page that follows work in progress reloads itself every N seconds without JavaScript. The
   * refresh sits in <noscript>: a script that follows the work itself must not be reloaded under
   * its feet, and removing a parsed <meta http-equiv="refresh"> does not cancel it (HTML § 4.2.5.3,
   * the refresh is scheduled when the element is inserted).
   */
  refreshSeconds?: number;
  /** Large print: the portal's preference, on <html> so rem-based sizes follow. */
  large?: boolean;
  children: ComponentChildren;
}

/** The shell of every HTML page: French, responsive, no referrer, one stylesheet base. */
export function HtmlDocument(props: HtmlDocumentProps) {
  return (
    <html lang="fr" class={props.large ? 'cp-large' : undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {props.refreshSeconds ? (
          <noscript>
            <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
          </noscript>
        ) : null}
        <link rel="icon" href="data:," />
        <title>{`${props.title} — CarePact`}</title>
        <link rel="stylesheet" href="/static/base.css" />
        {(props.stylesheets ?? []).map((href) => (
          <link rel="stylesheet" href={href} key={href} />
        ))}
      </head>
      <body class={props.large ? 'cp-large' : undefined}>
        <a class="skip" href="#contenu">
          Aller au contenu
        </a>
        {props.children}
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer key={src} />
        ))}
      </body>
    </html>
  );
}
