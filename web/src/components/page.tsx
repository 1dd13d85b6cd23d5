import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A screen: its title is the document title and the page's one h1, which takes the focus when
 * the screen opens so that screen-reader users hear where they arrived (RGAA 12.x).
 */
export function Page(props: { title: string; lead?: ComponentChildren; children: ComponentChildren; wide?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} — Cahier`;
    heading.current?.focus({ preventScroll: false });
  }, [props.title]);
  return (
    <div class={props.wide ? 'page page-wide' : 'page'}>
      <h1 tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.lead ? <p class="lead">{props.lead}</p> : null}
      {props.children}
    </div>
  );
}

export function Alert(props: { kind: 'error' | 'success' | 'info' | 'warning'; title?: string; children: ComponentChildren; live?: boolean }) {
  const role = props.kind === 'error' ? 'alert' : props.live ? 'status' : undefined;
  return (
    <div class={`alert alert-${props.kind}`} role={role}>
      {props.title ? <p class="alert-title">{props.title}</p> : null}
      <div>{props.children}</div>
    </div>
  );
}

export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status">
      {props.label ?? 'Chargement…'}
    </p>
  );
}
